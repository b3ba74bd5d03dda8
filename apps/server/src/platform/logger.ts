import type { FastifyServerOptions } from 'fastify';
import type { Config } from './config.ts';

/** Fastify's pino options: JSON logs, secrets redacted. */
export function loggerOptions(config: Pick<Config, 'logLevel'>): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'body.key', 'key', 'token', 'secret'],
      censor: '[redacted]',
    },
  };
}
