import type { FastifyServerOptions } from 'fastify';
import type { Config } from './config.ts';

/** Where log lines go instead of stdout (tests read them). */
export interface LogStream {
  write(line: string): void;
}

/** Fastify's pino options: JSON logs, secrets redacted; to stdout unless a stream is given. */
export function loggerOptions(config: Pick<Config, 'logLevel'>, stream?: LogStream): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    ...(stream ? { stream } : {}),
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'body.key', 'key', 'token', 'secret'],
      censor: '[redacted]',
    },
  };
}
