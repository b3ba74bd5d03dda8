import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';

/** Deeper JSON than this is never legitimate API input (and would overflow recursive serializers). */
export const MAX_INPUT_DEPTH = 32;

type Part = 'body' | 'querystring' | 'params';

export interface InputProblem {
  /** VALIDATION_FAILED: a string no column can store; INVALID_INPUT: the shape of the input as a whole. */
  code: 'VALIDATION_FAILED' | 'INVALID_INPUT';
  field: string;
  message: string;
}

/** A UTF-16 surrogate without its partner (with the u flag, a well-formed pair is one code point and never matches). */
const LONE_SURROGATE = /\p{Surrogate}/u;

/** What makes a string (a value or a key) unstorable, or null. */
function unstorable(s: string): string | null {
  if (s.includes('\u0000')) return 'NUL characters';
  if (LONE_SURROGATE.test(s)) return 'a lone UTF-16 surrogate (e.g. \\ud800): it is not valid Unicode';
  return null;
}

/**
 * Finds input no route can store, before validation: strings or keys with NUL characters (PostgreSQL text and jsonb
 * cannot hold U+0000) or lone UTF-16 surrogates (jsonb refuses `\ud800`; text would silently store U+FFFD), and
 * JSON nested deeper than MAX_INPUT_DEPTH. Every string of every request is checked, so every current and future
 * field — including each one stored as JSON (billing, metadata, flag strategies, Unleash registrations) — is
 * covered without code of its own. Iterative, so hostile input cannot overflow the stack here either. `part` names
 * the root of the field paths (`/body/…`); '' for plain JSON pointers (the CLI).
 */
export function findInputProblem(value: unknown, part: Part | ''): InputProblem | null {
  const stack: Array<[unknown, string, number]> = [[value, part ? `/${part}` : '', 0]];
  while (stack.length > 0) {
    const [v, path, depth] = stack.pop()!;
    if (typeof v === 'string') {
      const what = unstorable(v);
      if (what) return { code: 'VALIDATION_FAILED', field: path, message: `must not contain ${what}` };
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= MAX_INPUT_DEPTH) {
      return { code: 'INVALID_INPUT', field: path, message: `is nested deeper than ${MAX_INPUT_DEPTH} levels` };
    }
    for (const [key, child] of Object.entries(v)) {
      const what = unstorable(key);
      if (what) return { code: 'VALIDATION_FAILED', field: path, message: `has a key with ${what}` };
      stack.push([child, `${path}/${key}`, depth + 1]);
    }
  }
  return null;
}

const MESSAGES: Record<InputProblem['code'], string> = {
  VALIDATION_FAILED: 'The request is not valid',
  INVALID_INPUT: 'The request contains input that cannot be accepted',
};

/**
 * The API speaks JSON only: Fastify's default text/plain parser is removed, so any other body type is a 415 (a module
 * that needs e.g. text/csv adds its own parser in its own scope).
 */
export function registerInputGuard(app: FastifyInstance): void {
  app.removeContentTypeParser('text/plain');
  app.addHook('preValidation', async (request: FastifyRequest) => {
    const parts: Array<[Part, unknown]> = [
      ['params', request.params],
      ['querystring', request.query],
      ['body', request.body],
    ];
    for (const [part, value] of parts) {
      const problem = findInputProblem(value, part);
      if (problem) {
        const { code, field, message } = problem;
        throw new AppError(code, 400, MESSAGES[code], [{ field, message }]);
      }
    }
  });
}
