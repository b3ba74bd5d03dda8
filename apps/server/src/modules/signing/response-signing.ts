import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../platform/clock.ts';
import { isDatabaseUnavailable } from '../../platform/errors.ts';
import { errorPayload } from '../../platform/http/error-handler.ts';
import type { Signer } from './signer.ts';

/**
 * Signed responses (docs/license-files.md, "Signed responses"): a route opts in with `config: { signResponse: true }`
 * and its responses — errors included — carry
 * `Keyward-Signature: v=<1|2>; kid=<kid>; ts=<ISO>; sig=<b64url(Ed25519 signature)>` over the method, path, ts, the
 * request's nonce and SHA-256 of the exact body bytes sent. v=1 when the nonce is a string or absent (its line is
 * the string as is, or empty), v=2 when it is an integer (its line is `i:<decimal>`): a string and an integer never
 * sign the same bytes. Cost per response: one SHA-256 and one Ed25519 sign.
 */

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Sign this route's responses with the active signing key (Keyward-Signature header). */
    signResponse?: boolean;
  }
}

export const SIGNATURE_HEADER = 'Keyward-Signature';

/** How the request's nonce is bound: the signature version and the nonce line. */
export interface SignedNonce {
  /** 1: a string nonce (as is) or none (''); 2: an integer nonce (`i:<decimal>`). */
  v: 1 | 2;
  line: string;
}

export interface SignedResponseParts {
  method: string;
  /** Request path without the query string. */
  path: string;
  /** ISO-8601 UTC with milliseconds, exactly as in the header. */
  ts: string;
  nonce: SignedNonce;
  body: Buffer | string;
}

/** The signed bytes: five lines joined with \n, no trailing newline; the first names the version. */
export function responseSigningMessage(parts: SignedResponseParts): Buffer {
  const bodyHash = createHash('sha256').update(parts.body).digest('hex');
  const lines = [`keyward-response/${parts.nonce.v}`, `${parts.method.toUpperCase()} ${parts.path}`, parts.ts];
  return Buffer.from([...lines, parts.nonce.line, bodyHash].join('\n'), 'utf8');
}

/** A nonce the request schemas accept as a string (client.schemas.ts, Nonce): 1–128 characters, no lone surrogate. */
const STRING_NONCE = /^[^\uD800-\uDFFF]{1,128}$/u;
const NO_NONCE: SignedNonce = { v: 1, line: '' };

/**
 * The nonce of a request body as the spec binds it. A nonce the schema refuses (empty, a lone surrogate, a fraction …)
 * only ever gets a 400, which is signed like a request without one.
 */
export function nonceOf(body: unknown): SignedNonce {
  if (typeof body !== 'object' || body === null || !('nonce' in body)) return NO_NONCE;
  const { nonce } = body;
  if (typeof nonce === 'string' && STRING_NONCE.test(nonce)) return { v: 1, line: nonce };
  if (typeof nonce === 'number' && Number.isSafeInteger(nonce)) return { v: 2, line: `i:${nonce}` };
  return NO_NONCE;
}

export function formatSignatureHeader(v: 1 | 2, kid: string, ts: string, signature: Buffer): string {
  return `v=${v}; kid=${kid}; ts=${ts}; sig=${signature.toString('base64url')}`;
}

const pathOf = (url: string) => {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
};

/** Adds the onSend hook that signs the final payload of routes flagged `signResponse`. */
export function registerResponseSigning(app: FastifyInstance, deps: { signer: Signer; clock: Clock }): void {
  // Type coercion would turn a nonce of another JSON type into a string ("1.5", "true", ["x"] → "x") that is then
  // signed as one: such a nonce is made one the schema refuses instead (400 for /body/nonce, counted like any bad
  // body). Runs before the routes' own preValidation hooks and before validation.
  app.addHook('preValidation', async (request: FastifyRequest) => {
    if (!request.routeOptions.config.signResponse) return;
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body) || !('nonce' in body)) return;
    const { nonce } = body;
    if (typeof nonce === 'string' || (typeof nonce === 'number' && Number.isSafeInteger(nonce))) return;
    (body as Record<string, unknown>).nonce = { notANonce: typeof nonce };
  });

  // A response that cannot be signed is replaced by an error in the one shape (503 DATABASE_UNAVAILABLE when the
  // signer could not reach the database, else the signer's error or 500), which goes out unsigned; a thrown error
  // here would end in Fastify's default error body, whose message can name internals (e.g. the database address).
  const failed = new WeakSet<FastifyRequest>();
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (!request.routeOptions.config.signResponse || failed.has(request)) return payload;
    let body: Buffer | string;
    if (payload === null || payload === undefined) body = '';
    else if (typeof payload === 'string' || Buffer.isBuffer(payload)) body = payload;
    else {
      request.log.warn('a streamed response cannot be signed');
      return payload;
    }
    const ts = deps.clock.now().toISOString();
    const nonce = nonceOf(request.body);
    const message = responseSigningMessage({ method: request.method, path: pathOf(request.url), ts, nonce, body });
    try {
      const { kid, signature } = await deps.signer.sign(message);
      reply.header(SIGNATURE_HEADER, formatSignatureHeader(nonce.v, kid, ts, signature));
    } catch (err) {
      failed.add(request);
      if (!isDatabaseUnavailable(err)) request.log.error({ err }, 'could not sign the response');
      return errorPayload(err, request, reply);
    }
    return payload;
  });
}
