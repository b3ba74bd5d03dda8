import type { Ajv } from 'ajv';
import ajvFormatsModule from 'ajv-formats';
import { EARLIEST_DATE, isStorableDate, LATEST_DATE } from '../clock.ts';

/*
 * The string formats every schema of the API (and the CLI, src/cli/validate.ts) is checked with: ajv-formats, with
 * `date-time` and `date` narrowed to what Keyward can store. One place, so every current and future date field —
 * body, query or path, admin or client API — refuses a date PostgreSQL or the drivers cannot take with a 400
 * VALIDATION_FAILED naming the field, instead of failing in the database.
 */

// A CommonJS module: its default export is the plugin, which also carries itself as `.default` (what the types see).
const addFormats = ajvFormatsModule.default;
const fullFormats = addFormats.get;
const rfc3339DateTime = fullFormats('date-time') as { validate: (s: string) => boolean };
const rfc3339Date = fullFormats('date') as { validate: (s: string) => boolean };

/**
 * RFC 3339 with a time zone (ajv-formats' full check), that JavaScript parses to the same instant (no leap second
 * 23:59:60, no `+01` offset without minutes) and that lies between 0001-01-01 and 9999-12-31 in UTC.
 */
export function isAcceptedDateTime(value: string): boolean {
  return rfc3339DateTime.validate(value) && isStorableDate(new Date(value));
}

/** A full date (YYYY-MM-DD) in years 0001–9999. */
export function isAcceptedDate(value: string): boolean {
  return rfc3339Date.validate(value) && isStorableDate(new Date(`${value}T00:00:00Z`));
}

/** What a field with a date format must look like (the message of its validation error). */
export const DATE_TIME_RULE = `must be an RFC 3339 date-time with a time zone (e.g. 2026-12-31T17:00:00Z) between ${EARLIEST_DATE.slice(0, 10)} and ${LATEST_DATE.slice(0, 10)}`;
const DATE_RULE = `must be a date like 2026-12-31 between ${EARLIEST_DATE.slice(0, 10)} and ${LATEST_DATE.slice(0, 10)}`;

/** Ajv plugin: replaces ajv-formats' `date-time` and `date` (add it after ajv-formats). */
export function keywardFormats(ajv: Ajv): Ajv {
  ajv.addFormat('date-time', { type: 'string', validate: isAcceptedDateTime });
  ajv.addFormat('date', { type: 'string', validate: isAcceptedDate });
  return ajv;
}

/**
 * ajv-formats, then Keyward's narrower dates: Fastify's `ajv.plugins` option and the CLI's validator. ajv-formats is
 * passed as itself (not wrapped): Fastify recognises it by its function name and then does not add it again last,
 * which would undo the narrower dates.
 */
export const ajvPlugins: ReadonlyArray<(ajv: Ajv) => Ajv> = [
  addFormats as unknown as (ajv: Ajv) => Ajv,
  keywardFormats,
];

/** The message of one Ajv error, with the accepted date range spelled out for the date formats. */
export function ajvMessage(e: { keyword: string; params: Record<string, unknown>; message?: string }): string {
  if (e.keyword === 'additionalProperties') return 'is not a known field';
  if (e.keyword === 'format' && e.params.format === 'date-time') return DATE_TIME_RULE;
  if (e.keyword === 'format' && e.params.format === 'date') return DATE_RULE;
  return e.message ?? 'is invalid';
}
