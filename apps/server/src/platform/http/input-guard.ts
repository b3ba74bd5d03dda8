import type { FastifyInstance, FastifyRequest } from 'fastify';
import { badRequest } from '../errors.ts';

/** Deeper JSON than this is never legitimate API input (and would overflow recursive serializers). */
export const MAX_INPUT_DEPTH = 32;

type Part = 'body' | 'querystring' | 'params';

/**
 * Rejects input no route can store, before validation: strings or keys with NUL characters (PostgreSQL text and
 * jsonb cannot hold U+0000) and JSON nested deeper than MAX_INPUT_DEPTH. Iterative, so hostile input cannot
 * overflow the stack here either.
 */
export function findInputProblem(value: unknown, part: Part): { field: string; message: string } | null {
  const stack: Array<[unknown, string, number]> = [[value, `/${part}`, 0]];
  while (stack.length > 0) {
    const [v, path, depth] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return { field: path, message: 'must not contain NUL characters' };
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= MAX_INPUT_DEPTH) return { field: path, message: `is nested deeper than ${MAX_INPUT_DEPTH} levels` };
    for (const [key, child] of Object.entries(v)) {
      if (key.includes('\u0000')) return { field: path, message: 'has a key with NUL characters' };
      stack.push([child, `${path}/${key}`, depth + 1]);
    }
  }
  return null;
}

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
      if (problem) throw badRequest('INVALID_INPUT', 'The request contains input that cannot be accepted', [problem]);
    }
  });
}
