/** Test-only: a fake fetch that answers like a Keyward server, signing responses with a test key. */
import { keysJson, signResponse, type TestKey } from './spec-fixtures.ts';

export interface FakeRequest {
  method: string;
  path: string;
  body: Record<string, unknown>;
  signal: AbortSignal | null;
}

export type Handler = (req: FakeRequest) => Response | Promise<Response>;

export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

/** A JSON response signed for the request (its nonce), as the server would send it. */
export function signed(key: TestKey, req: FakeRequest, status: number, body: unknown, ts = new Date().toISOString()) {
  const text = JSON.stringify(body);
  const sig = signResponse(key, {
    method: req.method,
    path: req.path,
    ts,
    nonce: req.body.nonce as string,
    body: text,
  });
  return new Response(text, { status, headers: { 'content-type': 'application/json', 'keyward-signature': sig } });
}

/** A fetch that serves GET /v1/keys and hands everything else to `handler`; `calls` records every request. */
export function fakeFetch(key: TestKey, handler: Handler) {
  const calls: FakeRequest[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const req: FakeRequest = {
      method: init?.method ?? 'GET',
      path: url.pathname,
      body: init?.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : {},
      signal: init?.signal ?? null,
    };
    calls.push(req);
    if (req.path === '/v1/keys') return json(200, keysJson(key));
    return handler(req);
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}
