/** One field of an audit event's target that a change touched. */
export interface FieldChange {
  /** Dot path (`plan.name`, `entitlements`). */
  field: string;
  before: unknown;
  after: unknown;
  kind: 'added' | 'removed' | 'changed';
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function flatten(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, value);
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The fields that differ between `before` and `after` (nested objects by dot path, arrays as one value). A creation
 * (before null) lists every field as added, a deletion every field as removed. Ignores `updatedAt`-style noise only
 * when something else changed.
 */
export function diffFields(before: unknown, after: unknown): FieldChange[] {
  const a = new Map<string, unknown>();
  const b = new Map<string, unknown>();
  if (before !== null && before !== undefined) flatten(before, '', a);
  if (after !== null && after !== undefined) flatten(after, '', b);
  const changes: FieldChange[] = [];
  for (const field of new Set([...a.keys(), ...b.keys()])) {
    const inA = a.has(field);
    const inB = b.has(field);
    if (inA && inB && same(a.get(field), b.get(field))) continue;
    changes.push({
      field: field || '(value)',
      before: a.get(field),
      after: b.get(field),
      kind: !inA ? 'added' : !inB ? 'removed' : 'changed',
    });
  }
  const meaningful = changes.filter((c) => c.field !== 'updatedAt');
  return meaningful.length > 0 ? meaningful : changes;
}

/** A value as short text for the diff table. */
export function formatValue(value: unknown): string {
  if (value === undefined) return '';
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
