import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe('configuration', () => {
  it('has working defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', logLevel: 'info', bootstrapToken: null });
    expect(config.database.kind).toBe('pglite');
    expect(config.jobs).toEqual({ enabled: true, flagMetricsRetentionDays: 90 });
    expect(loadConfig({ KEYWARD_JOBS: 'off' }).jobs.enabled).toBe(false);
    const secret = 'a-shared-secret-of-at-least-32-characters';
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db', PORT: '8080', KEYWARD_SECRET: secret })).toMatchObject({
      port: 8080,
      database: { kind: 'postgres', url: 'postgres://u@h/db' },
    });
  });

  it.each([
    ['PORT', 'abc', /PORT must be a whole number, got "abc"/],
    ['PORT', '-1', /PORT must be a whole number/],
    ['PORT', '70000', /PORT must be between 0 and 65535, got 70000/],
    ['PORT', '80.5', /PORT must be a whole number/],
    ['DATABASE_URL', 'mysql://localhost/db', /DATABASE_URL must start with postgres:\/\/ or postgresql:\/\//],
    ['DATABASE_URL', 'localhost:5432', /DATABASE_URL must start with postgres/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/],
    ['KEYWARD_BOOTSTRAP_TOKEN', 'short', /KEYWARD_BOOTSTRAP_TOKEN must be at least 24 characters/],
    ['KEYWARD_SECRET', 'too-short', /KEYWARD_SECRET must be at least 32 characters/],
    ['KEYWARD_JOBS', 'sometimes', /KEYWARD_JOBS must be true or false, got "sometimes"/],
    ['KEYWARD_FLAG_METRICS_RETENTION_DAYS', '0', /KEYWARD_FLAG_METRICS_RETENTION_DAYS must be between 1 and 3650/],
    ['KEYWARD_REQUEST_TIMEOUT_SECONDS', '0', /KEYWARD_REQUEST_TIMEOUT_SECONDS must be between 1 and 3600/],
    ['KEYWARD_HEADERS_TIMEOUT_SECONDS', '1.5', /KEYWARD_HEADERS_TIMEOUT_SECONDS must be a whole number/],
    ['KEYWARD_HEADERS_TIMEOUT_SECONDS', '31', /must not be longer than KEYWARD_REQUEST_TIMEOUT_SECONDS \(30\)/],
    ['KEYWARD_KEEP_ALIVE_TIMEOUT_SECONDS', '0', /KEYWARD_KEEP_ALIVE_TIMEOUT_SECONDS must be between 1 and 3600/],
    ['KEYWARD_SOCKET_IDLE_TIMEOUT_SECONDS', 'never', /KEYWARD_SOCKET_IDLE_TIMEOUT_SECONDS must be a whole number/],
  ])('rejects %s=%s with a message naming the variable', (variable, value, message) => {
    const err = errorOf({ [variable]: value });
    expect(err.variable).toBe(variable);
    expect(err.message).toMatch(/^Invalid configuration: /);
    expect(err.message).toMatch(message);
  });

  it('has HTTP timeouts against slow clients by default, each configurable in seconds', () => {
    expect(loadConfig({}).http).toEqual({
      requestTimeoutMs: 30_000,
      headersTimeoutMs: 10_000,
      keepAliveTimeoutMs: 72_000,
      socketIdleTimeoutMs: 120_000,
    });
    expect(
      loadConfig({
        KEYWARD_REQUEST_TIMEOUT_SECONDS: '60',
        KEYWARD_HEADERS_TIMEOUT_SECONDS: '60',
        KEYWARD_KEEP_ALIVE_TIMEOUT_SECONDS: '5',
        KEYWARD_SOCKET_IDLE_TIMEOUT_SECONDS: '0',
      }).http,
    ).toEqual({ requestTimeoutMs: 60_000, headersTimeoutMs: 60_000, keepAliveTimeoutMs: 5000, socketIdleTimeoutMs: 0 });
    const secret = 'a-shared-secret-of-at-least-32-characters';
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db', KEYWARD_SECRET: secret }).database).toMatchObject({
      connectTimeoutMs: 10_000,
    });
    expect(
      loadConfig({ DATABASE_URL: 'postgres://u@h/db', KEYWARD_SECRET: secret, DATABASE_CONNECT_TIMEOUT_SECONDS: '3' })
        .database,
    ).toMatchObject({ connectTimeoutMs: 3000 });
  });

  it('requires KEYWARD_SECRET with DATABASE_URL (every process must share it), not with the embedded database', () => {
    const err = errorOf({ DATABASE_URL: 'postgres://u@h/db' });
    expect(err.variable).toBe('KEYWARD_SECRET');
    expect(err.message).toBe(
      'Invalid configuration: KEYWARD_SECRET is required with DATABASE_URL: every server process must share it',
    );
    expect(loadConfig({}).secret).toBeNull();
    expect(loadConfig({ KEYWARD_SECRET: ` ${'s'.repeat(32)} ` }).secret).toBe('s'.repeat(32));
  });

  it('never echoes a rejected bootstrap token', () => {
    const err = errorOf({ KEYWARD_BOOTSTRAP_TOKEN: 'tooShortSecret' });
    expect(err.message).not.toContain('tooShortSecret');
  });
});
