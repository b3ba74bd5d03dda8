/** The one error model: a stable code, an HTTP status and a message a user can read. */
export interface FieldIssue {
  /** JSON pointer-ish path of the offending field, e.g. `/body/seats`. */
  field: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: FieldIssue[],
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (code: string, what: string) => new AppError(code, 404, `${what} not found`);
export const conflict = (code: string, message: string) => new AppError(code, 409, message);
export const badRequest = (code: string, message: string, details?: FieldIssue[]) =>
  new AppError(code, 400, message, details);
export const unprocessable = (code: string, message: string, details?: FieldIssue[]) =>
  new AppError(code, 422, message, details);
export const forbidden = (message = 'This token may not do that') => new AppError('FORBIDDEN', 403, message);
export const unauthorized = (message = 'A valid bearer token is required') =>
  new AppError('UNAUTHORIZED', 401, message);

/** PostgreSQL error codes we translate into user errors. */
export function pgErrorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

export function pgConstraint(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'constraint' in err && typeof err.constraint === 'string') {
    return err.constraint;
  }
  return undefined;
}

export const isUniqueViolation = (err: unknown) => pgErrorCode(err) === '23505';
export const isForeignKeyViolation = (err: unknown) => pgErrorCode(err) === '23503';

/** Seconds a client is asked to wait (Retry-After) while the database cannot be reached. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** 503 while the database cannot be reached; the error handler adds Retry-After. Never says why or where. */
export class DatabaseUnavailableError extends AppError {
  readonly retryAfterSeconds = DATABASE_RETRY_AFTER_SECONDS;
  constructor() {
    super('DATABASE_UNAVAILABLE', 503, 'The database cannot be reached right now; retry in a few seconds');
  }
}

/** Socket-level codes of a database server that cannot be reached or dropped the connection. */
const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/**
 * SQLSTATEs meaning "not now" rather than "your query is wrong": class 08 (connection exception), the server shutting
 * down or starting up (57P01–57P03), too many connections (53300).
 */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300)$/;

/** Driver messages without a code: node-postgres and pg-pool, Kysely after destroy, PGlite after close. */
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'Cannot use a pool after calling end on the pool',
  'driver has already been destroyed',
  'PGlite is closed',
];

/**
 * True when `err` says the database cannot be reached (refused, dropped, timed out, shutting down, closed) — as
 * opposed to an error in the query or the data. Looks through `cause` and AggregateError members.
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 3) return false;
  const code = pgErrorCode(err);
  if (code !== undefined && (NETWORK_ERROR_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
  const message = 'message' in err && typeof err.message === 'string' ? err.message : '';
  if (UNAVAILABLE_MESSAGES.some((m) => message.startsWith(m))) return true;
  if ('cause' in err && isDatabaseUnavailable(err.cause, depth + 1)) return true;
  return err instanceof AggregateError && err.errors.some((e) => isDatabaseUnavailable(e, depth + 1));
}
