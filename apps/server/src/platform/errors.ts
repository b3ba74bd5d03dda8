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
