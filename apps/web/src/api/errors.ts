/** One field problem reported by the API, e.g. `{ field: '/body/name', message: 'must NOT have fewer than 1 characters' }`. */
export interface FieldIssue {
  field: string;
  message: string;
}

/** The server's one error shape `{ error: { code, message, details, requestId } }` as a typed error. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldIssue[] = [],
    readonly requestId: string | null = null,
    /** Seconds from a Retry-After header (429 SIGN_IN_THROTTLED, 429 RATE_LIMITED). */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Field issues keyed by the last segment of their path (`/body/contacts/0/email` → `contacts.0.email`). */
  fieldErrors(prefix = '/body/'): Record<string, string> {
    const out: Record<string, string> = {};
    for (const d of this.details) {
      if (!d.field.startsWith(prefix)) continue;
      const key = d.field.slice(prefix.length).replaceAll('/', '.');
      out[key] ??= d.message;
    }
    return out;
  }
}

export const isApiError = (err: unknown, code?: string): err is ApiError =>
  err instanceof ApiError && (code === undefined || err.code === code);

/** Network failures (server down, offline) become an ApiError with status 0, so screens handle one type. */
export const networkError = (cause: unknown) =>
  new ApiError(0, 'NETWORK_ERROR', cause instanceof Error ? cause.message : 'The server could not be reached');

export async function errorFromResponse(res: Response): Promise<ApiError> {
  const retry = Number(res.headers.get('retry-after'));
  const retryAfter = Number.isFinite(retry) && retry > 0 ? retry : null;
  try {
    const body: unknown = await res.json();
    const error = (body as { error?: Partial<Record<string, unknown>> } | null)?.error;
    if (error && typeof error.code === 'string') {
      return new ApiError(
        res.status,
        error.code,
        typeof error.message === 'string' ? error.message : res.statusText,
        Array.isArray(error.details) ? (error.details as FieldIssue[]) : [],
        typeof error.requestId === 'string' ? error.requestId : null,
        retryAfter,
      );
    }
  } catch {
    // not JSON: fall through
  }
  return new ApiError(res.status, `HTTP_${res.status}`, res.statusText || `HTTP ${res.status}`, [], null, retryAfter);
}
