import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DatabaseAvailability } from '../db/availability.ts';
import {
  AppError,
  DatabaseUnavailableError,
  type FieldIssue,
  isDatabaseUnavailable,
  isForeignKeyViolation,
  isUniqueViolation,
} from '../errors.ts';
import { ajvMessage } from './formats.ts';

export interface ErrorBody {
  error: { code: string; message: string; details?: FieldIssue[]; requestId?: string };
}

function validationDetails(err: FastifyError): FieldIssue[] {
  return (err.validation ?? []).map((v) => {
    const missing = v.keyword === 'required' ? `/${String(v.params.missingProperty)}` : '';
    const extra = v.keyword === 'additionalProperties' ? `/${String(v.params.additionalProperty)}` : '';
    const base = `/${err.validationContext ?? 'body'}${v.instancePath}${missing}${extra}`;
    return { field: base, message: ajvMessage(v) };
  });
}

const retryAfterOf = (err: AppError): number | null =>
  'retryAfterSeconds' in err && typeof err.retryAfterSeconds === 'number' ? err.retryAfterSeconds : null;

/**
 * Maps every error to the one JSON error shape. Never leaks a stack trace; unexpected 5xx are logged with the
 * request id. A database that cannot be reached is 503 DATABASE_UNAVAILABLE with Retry-After, reported to
 * `availability` (which logs the outage once) instead of a log line per request.
 */
export function registerErrorHandling(app: FastifyInstance, deps: { availability?: DatabaseAvailability } = {}): void {
  app.setErrorHandler((thrown: FastifyError | AppError, request, reply) => {
    const requestId = String(request.id);
    const send = (status: number, code: string, message: string, details?: FieldIssue[]) => {
      const body: ErrorBody = { error: { code, message, requestId, ...(details?.length ? { details } : {}) } };
      return reply.status(status).send(body);
    };
    let err = thrown;
    if (!(err instanceof AppError) && isDatabaseUnavailable(err)) {
      deps.availability?.failed(err);
      err = new DatabaseUnavailableError();
    }
    if (err instanceof AppError) {
      const retryAfter = retryAfterOf(err);
      if (retryAfter !== null) reply.header('retry-after', String(retryAfter));
      return send(err.status, err.code, err.message, err.details);
    }
    if ('validation' in err && err.validation) {
      return send(400, 'VALIDATION_FAILED', 'The request is not valid', validationDetails(err));
    }
    switch (err.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return send(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return send(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json');
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return send(400, 'INVALID_JSON', 'The body is empty but the content type says JSON');
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return send(400, 'INVALID_JSON', 'The body is not valid JSON');
    }
    if (err instanceof SyntaxError || err.statusCode === 400) {
      return send(400, 'BAD_REQUEST', err.message || 'Bad request');
    }
    if (isUniqueViolation(err)) return send(409, 'CONFLICT', 'A record with these values already exists');
    if (isForeignKeyViolation(err))
      return send(409, 'REFERENCE_CONFLICT', 'A referenced record does not exist or is in use');
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return send(err.statusCode, err.code ?? 'BAD_REQUEST', err.message);
    }
    request.log.error({ err }, 'unhandled error');
    return send(500, 'INTERNAL_ERROR', 'Something went wrong on our side; the request id helps us find it');
  });

  app.setNotFoundHandler((request, reply) => {
    const body: ErrorBody = {
      error: {
        code: 'ROUTE_NOT_FOUND',
        message: `No route ${request.method} ${request.url}`,
        requestId: String(request.id),
      },
    };
    return reply.status(404).send(body);
  });
}

/**
 * The one error shape for an error met where the error handler cannot run any more (an onSend hook, e.g. signing
 * the response): sets status and headers on the reply and returns the body to send instead of the payload.
 */
export function errorPayload(err: unknown, request: FastifyRequest, reply: FastifyReply): string {
  const appError =
    err instanceof AppError
      ? err
      : isDatabaseUnavailable(err)
        ? new DatabaseUnavailableError()
        : new AppError('INTERNAL_ERROR', 500, 'Something went wrong on our side; the request id helps us find it');
  const retryAfter = retryAfterOf(appError);
  reply.status(appError.status);
  if (retryAfter !== null) reply.header('retry-after', String(retryAfter));
  reply.header('content-type', 'application/json; charset=utf-8');
  const body: ErrorBody = {
    error: {
      code: appError.code,
      message: appError.message,
      requestId: String(request.id),
      ...(appError.details?.length ? { details: appError.details } : {}),
    },
  };
  return JSON.stringify(body);
}

const CLIENT_ERRORS: Record<string, { status: number; reason: string; code: string; message: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    reason: 'Request Timeout',
    code: 'REQUEST_TIMEOUT',
    message: 'The request did not arrive in time',
  },
  HPE_HEADER_OVERFLOW: {
    status: 431,
    reason: 'Request Header Fields Too Large',
    code: 'HEADERS_TOO_LARGE',
    message: 'The request headers are too large',
  },
};
const MALFORMED = { status: 400, reason: 'Bad Request', code: 'MALFORMED_REQUEST', message: 'Malformed HTTP request' };

/**
 * Fastify's `clientErrorHandler` option: what Node's HTTP parser rejects before there is a request — above all a
 * client too slow to send its headers or body within the configured timeouts (408, then the socket is closed; the
 * slow-client defence, docs/security.md) — is answered in the one error shape too, then the connection is closed.
 */
export function clientErrorHandler(this: FastifyInstance, err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const answer = CLIENT_ERRORS[err.code ?? ''] ?? MALFORMED;
  this.log.debug({ code: err.code, status: answer.status }, 'client error');
  if (socket.writable) {
    const body = JSON.stringify({ error: { code: answer.code, message: answer.message } });
    socket.write(
      `HTTP/1.1 ${answer.status} ${answer.reason}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/**
 * Fastify's `frameworkErrors` option: errors raised by the router before any hook runs (a malformed percent-encoding
 * in the URL, a path parameter over maxParamLength) get the one error shape too, not Fastify's default body.
 */
export function frameworkErrors(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const tooLong = err.code === 'FST_ERR_MAX_PARAM_LENGTH';
  const body: ErrorBody = {
    error: {
      code: tooLong ? 'URL_TOO_LONG' : 'INVALID_URL',
      message: tooLong ? 'A path segment of the URL is too long' : 'The URL is not validly encoded',
      requestId: String(request.id),
    },
  };
  reply.status(tooLong ? 414 : 400).send(body);
}
