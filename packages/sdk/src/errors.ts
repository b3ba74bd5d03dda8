/**
 * Errors of the online client. `status` is the HTTP status (0 when no response arrived); `code` is the server's
 * error code (e.g. TOO_MANY_MACHINES, RATE_LIMITED) or one of the client's own: NETWORK_ERROR, TIMEOUT, ABORTED,
 * INVALID_RESPONSE, SIGNATURE_INVALID.
 */
export class KeywardError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'KeywardError';
  }

  /** No answer came back (network error or timeout): an app may fall back to its cached license file. */
  get isNetworkError(): boolean {
    return this.code === 'NETWORK_ERROR' || this.code === 'TIMEOUT';
  }

  /** Worth trying again later: network errors, 429 and 5xx. A 4xx is a decision and never retried. */
  get retryable(): boolean {
    return this.isNetworkError || this.status === 429 || this.status >= 500;
  }
}
