/**
 * Semantic versions as the Unleash SDKs compare them (node-semver's strict parse and precedence, no dependency).
 * Context values must not start with `v` (Unleash rejects `v1.2.3` there); constraint values may.
 */

export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  /** Numeric identifiers as numbers, others as strings; empty for a release. */
  pre: (string | number)[];
}

const ID = '(?:0|[1-9]\\d*)';
const PRE_ID = `(?:\\d*[a-zA-Z-][a-zA-Z0-9-]*|${ID})`;
const FULL = new RegExp(
  `^v?(${ID})\\.(${ID})\\.(${ID})(?:-(${PRE_ID}(?:\\.${PRE_ID})*))?(?:\\+[a-zA-Z0-9-]+(?:\\.[a-zA-Z0-9-]+)*)?$`,
);
const NUMERIC = /^[0-9]+$/;

/** Parses like `semver.parse(v)` (trimmed, at most 256 characters); null when invalid. */
export function parseSemver(value: string): SemVer | null {
  if (value.length > 256) return null;
  const m = FULL.exec(value.trim());
  if (!m) return null;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const patch = Number(m[3]);
  if (major > Number.MAX_SAFE_INTEGER || minor > Number.MAX_SAFE_INTEGER || patch > Number.MAX_SAFE_INTEGER) {
    return null;
  }
  const pre = m[4]
    ? m[4].split('.').map((id) => {
        if (NUMERIC.test(id)) {
          const n = Number(id);
          if (n < Number.MAX_SAFE_INTEGER) return n;
        }
        return id;
      })
    : [];
  return { major, minor, patch, pre };
}

const recent = new Map<string, SemVer | null>();

/**
 * A context value Unleash accepts: valid and not written with a leading `v`. The last few hundred context versions
 * are remembered (one context is usually checked against several flags); results are frozen.
 */
export function parseContextSemver(value: string): SemVer | null {
  const hit = recent.get(value);
  if (hit !== undefined) return hit;
  const parsed = value.startsWith('v') ? null : parseSemver(value);
  if (recent.size >= 512) recent.clear();
  recent.set(
    value,
    parsed === null ? null : Object.freeze({ ...parsed, pre: Object.freeze(parsed.pre) as SemVer['pre'] }),
  );
  return recent.get(value) ?? null;
}

function compareIds(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a === b ? 0 : a < b ? -1 : 1;
  const an = typeof a === 'number' || NUMERIC.test(a);
  const bn = typeof b === 'number' || NUMERIC.test(b);
  if (an && !bn) return -1;
  if (bn && !an) return 1;
  const x = an ? Number(a) : a;
  const y = bn ? Number(b) : b;
  return x === y ? 0 : x < y ? -1 : 1;
}

/** Precedence: -1, 0 or 1 (build metadata ignored). */
export function compareSemver(a: SemVer, b: SemVer): number {
  if (a.major !== b.major) return a.major < b.major ? -1 : 1;
  if (a.minor !== b.minor) return a.minor < b.minor ? -1 : 1;
  if (a.patch !== b.patch) return a.patch < b.patch ? -1 : 1;
  const ap = a.pre;
  const bp = b.pre;
  if (ap.length === 0 || bp.length === 0) return ap.length === bp.length ? 0 : ap.length === 0 ? 1 : -1;
  for (let i = 0; ; i++) {
    const x = ap[i];
    const y = bp[i];
    if (x === undefined && y === undefined) return 0;
    if (y === undefined) return 1;
    if (x === undefined) return -1;
    if (x === y) continue;
    return compareIds(x, y);
  }
}
