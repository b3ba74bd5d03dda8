import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../platform/clock.ts';
import { isDatabaseUnavailable } from '../../platform/errors.ts';
import { errorPayload } from '../../platform/http/error-handler.ts';
import type { Signer } from './signer.ts';

/**
 * Signed responses (docs/license-files.md, "Signed responses"): a route opts in with `config: { signResponse: true }`
 * and its responses — errors included — carry
 * `Keyward-Signature: v=1; kid=<kid>; ts=<ISO>; sig=<b64url(Ed25519 signature)>` over the method, path, ts, the
 * request's nonce and SHA-256 of the exact body bytes sent. Cost per response: one SHA-256 and one Ed25519 sign.
 */

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Sign this route's responses with the active signing key (Keyward-Signature header). */
    signResponse?: boolean;
  }
}

export const SIGNATURE_HEADER = 'Keyward-Signature';

export interface SignedResponseParts {
  method: string;
  /** Request path without the query string. */
  path: string;
  /** ISO-8601 UTC with milliseconds, exactly as in the header. */
  ts: string;
  /** The nonce of the request body as sent: a string as is, an integer in decimal, '' if none. */
  nonce: string;
  body: Buffer | string;
}

/** The signed bytes: five lines joined with \n, no trailing newline. */
export function responseSigningMessage(parts: SignedResponseParts): Buffer {
  const bodyHash = createHash('sha256').update(parts.body).digest('hex');
  return Buffer.from(
    ['keyward-response/1', `${parts.method.toUpperCase()} ${parts.path}`, parts.ts, parts.nonce, bodyHash].join('\n'),
    'utf8',
  );
}

/** The nonce of a request body as the spec writes it into the message. */
export function nonceOf(body: unknown): string {
  if (typeof body !== 'object' || body === null || !('nonce' in body)) return '';
  const { nonce } = body;
  if (typeof nonce === 'string') return nonce;
  if (typeof nonce === 'number' && Number.isSafeInteger(nonce)) return String(nonce);
  return '';
}

export function formatSignatureHeader(kid: string, ts: string, signature: Buffer): string {
  return `v=1; kid=${kid}; ts=${ts}; sig=${signature.toString('base64url')}`;
}

const pathOf = (url: string) => {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
};

/** Adds the onSend hook that signs the final payload of routes flagged `signResponse`. */
export function registerResponseSigning(app: FastifyInstance, deps: { signer: Signer; clock: Clock }): void {
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
    const message = responseSigningMessage({
      method: request.method,
      path: pathOf(request.url),
      ts,
      nonce: nonceOf(request.body),
      body,
    });
    try {
      const { kid, signature } = await deps.signer.sign(message);
      reply.header(SIGNATURE_HEADER, formatSignatureHeader(kid, ts, signature));
    } catch (err) {
      failed.add(request);
      if (!isDatabaseUnavailable(err)) request.log.error({ err }, 'could not sign the response');
      return errorPayload(err, request, reply);
    }
    return payload;
  });
}
