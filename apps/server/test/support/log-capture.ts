import type { LogStream } from '../../src/platform/logger.ts';

/** A pino log line as written (level: 30 info, 40 warn, 50 error, 60 fatal). */
export type LogLine = Record<string, unknown> & { level: number; msg?: string };

/** The app's log for tests that check what is logged: pass it as `logStream` with LOG_LEVEL set. */
export class LogCapture implements LogStream {
  readonly lines: LogLine[] = [];

  write(line: string): void {
    this.lines.push(JSON.parse(line) as LogLine);
  }

  /** Lines whose message starts with `msg`. */
  withMessage(msg: string): LogLine[] {
    return this.lines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith(msg));
  }

  /** Lines from `from` on (an index of {@link lines}) at warn level or above. */
  warningsSince(from: number): LogLine[] {
    return this.lines.slice(from).filter((l) => l.level >= 40);
  }
}
