import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type FieldIssue, isForeignKeyViolation, isUniqueViolation } from '../errors.ts';
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

/** Maps every error to the one JSON error shape. Never leaks a stack trace; 5xx are logged with the request id. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
    const requestId = String(request.id);
    const send = (status: number, code: string, message: string, details?: FieldIssue[]) => {
      const body: ErrorBody = { error: { code, message, requestId, ...(details?.length ? { details } : {}) } };
      return reply.status(status).send(body);
    };
    if (err instanceof AppError) {
      if (err.status === 429 && 'retryAfterSeconds' in err) {
        reply.header('retry-after', String(err.retryAfterSeconds));
      }
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
