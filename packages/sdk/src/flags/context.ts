/** Reading the evaluation context the way the Unleash SDKs do: `context[field] ?? context.properties[field]`, as text. */
import type { FlagContext } from './types.ts';

export type Getter = (ctx: FlagContext) => string | undefined;

const text = (v: unknown): string | undefined =>
  v === undefined || v === null ? undefined : typeof v === 'string' ? v : String(v);

const getters = new Map<string, Getter>();

/**
 * A compiled reader for one context field (standard fields read directly, others through `properties`). Readers
 * are shared per field name (a small cache), so compiling a definition creates no new closure for them.
 */
export function contextGetter(field: string): Getter {
  let g = getters.get(field);
  if (g === undefined) {
    g = makeGetter(field);
    if (getters.size < 1000) getters.set(field, g);
  }
  return g;
}

function makeGetter(field: string): Getter {
  switch (field) {
    case 'userId':
      return (ctx) => text(ctx.userId ?? ctx.properties?.userId);
    case 'sessionId':
      return (ctx) => text(ctx.sessionId ?? ctx.properties?.sessionId);
    case 'remoteAddress':
      return (ctx) => text(ctx.remoteAddress ?? ctx.properties?.remoteAddress);
    case 'environment':
      return (ctx) => text(ctx.environment ?? ctx.properties?.environment);
    case 'appName':
      return (ctx) => text(ctx.appName ?? ctx.properties?.appName);
    default:
      return (ctx) => {
        const props = ctx.properties;
        const own = (ctx as Record<string, unknown>)[field];
        if (own !== undefined && own !== null) return text(own);
        return props === undefined ? undefined : text(props[field]);
      };
  }
}

/** A context value for explanations: shortened, `(not set)` when missing. */
export function show(value: string | undefined, max = 80): string {
  if (value === undefined) return '(not set)';
  const s = value.length > max ? `${value.slice(0, max - 1)}…` : value;
  return s === '' ? '""' : s;
}

/** "a, b, c" for up to `max` values, with "… (N in all)" beyond. */
export function showList(values: readonly string[], max = 5): string {
  const head = values.slice(0, max).map((v) => show(v, 40));
  return values.length > max ? `${head.join(', ')}, … (${values.length} in all)` : head.join(', ');
}
