import type { ExplainInput } from './flags-api.ts';

/** Unleash's own context fields (top level in the request); any other name is a custom property. */
const STANDARD = ['userId', 'sessionId', 'remoteAddress', 'environment', 'appName', 'currentTime'] as const;

export interface ContextRow {
  uid: string;
  name: string;
  value: string;
}

/**
 * "Try it" extra context rows → the explain request's context: standard fields at the top level, the rest as
 * properties (a later row wins; rows without a name are ignored). Undefined when nothing is set.
 */
export function contextOf(rows: readonly ContextRow[]): ExplainInput['context'] {
  const context: Record<string, string> = {};
  const properties: Record<string, string> = {};
  for (const row of rows) {
    const name = row.name.trim();
    if (!name) continue;
    if ((STANDARD as readonly string[]).includes(name)) context[name] = row.value;
    else properties[name] = row.value;
  }
  const out = { ...context, ...(Object.keys(properties).length > 0 ? { properties } : {}) };
  return Object.keys(out).length > 0 ? out : undefined;
}
