/** One HTTP call with a per-attempt timeout and the retry policy of retry.ts. */
import type { Bytes } from './encoding.ts';
import { fromUtf8, isRecord, parseJson } from './encoding.ts';
import { KeywardError } from './errors.ts';
import { nextDelay, parseRetryAfter, type RetryPolicy } from './retry.ts';

export interface TransportOptions {
  baseUrl: string;
  timeoutMs: number;
  fetch: typeof fetch;
  retry: RetryPolicy;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
  now: () => number;
  /** Called before each retry wait (logging, metrics). */
  onRetry?: ((info: { attempt: number; delayMs: number; error: KeywardError }) => void) | undefined;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  /** The exact body bytes (signatures are over these). */
  body: Bytes;
}

export interface RequestInput {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  signal?: AbortSignal | undefined;
}

/** Parses a JSON body; INVALID_RESPONSE when it is not JSON. */
export function jsonOf(response: RawResponse): unknown {
  if (response.body.length === 0) return null;
  const text = fromUtf8(response.body);
  const value = text === null ? null : parseJson(text);
  if (value === null)
    throw new KeywardError(response.status, 'INVALID_RESPONSE', 'The server answered with invalid JSON');
  return value;
}

function errorOf(response: RawResponse, now: number): KeywardError {
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now);
  const text = fromUtf8(response.body);
  const json = text ? parseJson(text) : null;
  const error = isRecord(json) && isRecord(json.error) ? json.error : {};
  return new KeywardError(
    response.status,
    typeof error.code === 'string' ? error.code : `HTTP_${response.status}`,
    typeof error.message === 'string' ? error.message : `The server answered ${response.status}`,
    retryAfterMs === null ? null : Math.ceil(retryAfterMs / 1000),
  );
}

function transportError(err: unknown, signal: AbortSignal | undefined): KeywardError {
  if (signal?.aborted) return new KeywardError(0, 'ABORTED', 'The request was aborted', null, { cause: err });
  if (err instanceof Error && err.name === 'TimeoutError') {
    return new KeywardError(0, 'TIMEOUT', 'The server did not answer in time', null, { cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new KeywardError(0, 'NETWORK_ERROR', `The server could not be reached: ${message}`, null, { cause: err });
}

async function attempt(o: TransportOptions, input: RequestInput): Promise<RawResponse> {
  const timeout = AbortSignal.timeout(o.timeoutMs);
  const signal = input.signal ? AbortSignal.any([input.signal, timeout]) : timeout;
  try {
    const response = await o.fetch(`${o.baseUrl}${input.path}`, {
      method: input.method,
      headers:
        input.body === undefined
          ? { accept: 'application/json' }
          : { 'content-type': 'application/json', accept: 'application/json' },
      body: input.body === undefined ? null : JSON.stringify(input.body),
      signal,
    });
    const body = new Uint8Array(await response.arrayBuffer());
    return { status: response.status, headers: response.headers, body };
  } catch (err) {
    throw transportError(err, input.signal);
  }
}

/**
 * Sends the request; retries network errors, timeouts, 429 and 5xx per the policy. Resolves with any 2xx;
 * rejects with a KeywardError for everything else (a 4xx at once: it is the server's decision).
 */
export async function request(o: TransportOptions, input: RequestInput): Promise<RawResponse> {
  let waited = 0;
  for (let n = 1; ; n++) {
    let error: KeywardError;
    try {
      const response = await attempt(o, input);
      if (response.status >= 200 && response.status < 300) return response;
      error = errorOf(response, o.now());
    } catch (err) {
      error = err as KeywardError;
    }
    if (!error.retryable) throw error;
    const retryAfterMs = error.retryAfterSeconds === null ? null : error.retryAfterSeconds * 1000;
    const delay = nextDelay(n, waited, retryAfterMs, o.retry, o.random);
    if (delay === null) throw error;
    o.onRetry?.({ attempt: n, delayMs: delay, error });
    waited += delay;
    try {
      await o.sleep(delay, input.signal);
    } catch (err) {
      throw transportError(err, input.signal);
    }
  }
}
