import path from 'node:path';

/** The one typed configuration, parsed once at start from an environment map. */
export interface Config {
  /** `pglite` (embedded, under dataDir) or `postgres` (databaseUrl). */
  database:
    | { kind: 'pglite'; dataDir: string | null }
    | {
        kind: 'postgres';
        url: string;
        poolSize: number;
        /** DATABASE_CONNECT_TIMEOUT_SECONDS: a new connection that takes longer fails (then 503 DATABASE_UNAVAILABLE). */
        connectTimeoutMs: number;
      };
  dataDir: string;
  host: string;
  port: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  bootstrapToken: string | null;
  /**
   * KEYWARD_SECRET: the key signing keys are encrypted under (HKDF). Required with DATABASE_URL (every process must
   * share it); null with the embedded database means "generated once into <dataDir>/secret" (platform/crypto/secret.ts).
   */
  secret: string | null;
  seedDemoData: boolean;
  bodyLimitBytes: number;
  /** HTTP server timeouts against slow or idle clients (docs/security.md, "Limits and timeouts"). */
  http: {
    /** KEYWARD_REQUEST_TIMEOUT_SECONDS: the whole request (headers and body) must arrive within this, else 408. */
    requestTimeoutMs: number;
    /** KEYWARD_HEADERS_TIMEOUT_SECONDS: the request line and headers must arrive within this, else 408. */
    headersTimeoutMs: number;
    /** KEYWARD_KEEP_ALIVE_TIMEOUT_SECONDS: an idle keep-alive connection is closed after this. */
    keepAliveTimeoutMs: number;
    /** KEYWARD_SOCKET_IDLE_TIMEOUT_SECONDS: a socket with no traffic either way is destroyed after this; 0 = never. */
    socketIdleTimeoutMs: number;
  };
  /**
   * Fastify's trustProxy: false (default: the socket address is the client IP), true (trust X-Forwarded-For from
   * anyone — only behind a proxy that overwrites it), or a comma-separated list of proxy IPs/CIDRs.
   */
  trustProxy: boolean | string;
  rateLimit: {
    /** Requests per window per client IP on validate-key / activation endpoints. */
    perIp: number;
    /** Requests per window per license key. */
    perKey: number;
    windowSeconds: number;
  };
  /** Days before the end date in which a license counts as `expiring`. */
  expiringWindowDays: number;
  /** Periodic housekeeping (platform/jobs, docs/operations.md). */
  jobs: {
    /** KEYWARD_JOBS: whether this server process takes part in running jobs (each slot runs once overall). */
    enabled: boolean;
    /** KEYWARD_FLAG_METRICS_RETENTION_DAYS: flag metrics and SDK instances older than this are deleted. */
    flagMetricsRetentionDays: number;
  };
  /** Staff sign-in to the dashboard (docs/dashboard-auth.md). */
  staff: {
    /** KEYWARD_ADMIN_EMAIL: the admin user created on the first start (when there are no users). */
    adminEmail: string;
    /** KEYWARD_ADMIN_PASSWORD: that user's password (>= 12 chars); null = generate one and print it once. */
    adminPassword: string | null;
    /** KEYWARD_PUBLIC_URL: origin of links in mails (password reset); null = http://HOST:PORT. */
    publicUrl: string | null;
    /** Sign-in and password-reset requests per rate-limit window per client IP. */
    signInPerIp: number;
    /**
     * Password-reset requests (mails) per rate-limit window per email. Not applied to sign-in, which is throttled per
     * (email, client address) instead (docs/dashboard-auth.md, "Sign-in and brute force").
     */
    signInPerEmail: number;
  };
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Invalid configuration: ${variable} ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${env[name]}"`);
}

function trustProxy(env: Env): boolean | string {
  const raw = env.KEYWARD_TRUST_PROXY?.trim();
  if (!raw) return false;
  if (/^(true|false)$/i.test(raw)) return raw.toLowerCase() === 'true';
  if (/^[0-9a-fA-F.:/,\s]+$/.test(raw)) return raw;
  throw new ConfigError(
    'KEYWARD_TRUST_PROXY',
    `must be true, false or a comma-separated list of proxy IPs/CIDRs, got "${raw}"`,
  );
}

function staff(env: Env): Config['staff'] {
  const adminEmail = (env.KEYWARD_ADMIN_EMAIL?.trim() || 'admin@keyward.local').toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(adminEmail) || adminEmail.length > 254) {
    throw new ConfigError('KEYWARD_ADMIN_EMAIL', `must be an email address, got "${env.KEYWARD_ADMIN_EMAIL}"`);
  }
  const adminPassword = env.KEYWARD_ADMIN_PASSWORD || null;
  if (adminPassword !== null && (adminPassword.length < 12 || adminPassword.length > 1024)) {
    throw new ConfigError('KEYWARD_ADMIN_PASSWORD', 'must be 12 to 1024 characters long');
  }
  const rawUrl = env.KEYWARD_PUBLIC_URL?.trim() || null;
  let publicUrl: string | null = null;
  if (rawUrl !== null) {
    let parsed: URL | null = null;
    try {
      parsed = new URL(rawUrl);
    } catch {}
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) {
      throw new ConfigError('KEYWARD_PUBLIC_URL', `must be an http(s) URL, got "${rawUrl}"`);
    }
    publicUrl = `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
  }
  return {
    adminEmail,
    adminPassword,
    publicUrl,
    signInPerIp: int(env, 'KEYWARD_SIGN_IN_RATE_LIMIT_PER_IP', 30, 1, 10_000_000),
    signInPerEmail: int(env, 'KEYWARD_SIGN_IN_RATE_LIMIT_PER_EMAIL', 10, 1, 10_000_000),
  };
}

function httpTimeouts(env: Env): Config['http'] {
  const seconds = (name: string, fallback: number, min: number) => int(env, name, fallback, min, 3600) * 1000;
  const http: Config['http'] = {
    requestTimeoutMs: seconds('KEYWARD_REQUEST_TIMEOUT_SECONDS', 30, 1),
    headersTimeoutMs: seconds('KEYWARD_HEADERS_TIMEOUT_SECONDS', 10, 1),
    keepAliveTimeoutMs: seconds('KEYWARD_KEEP_ALIVE_TIMEOUT_SECONDS', 72, 1),
    socketIdleTimeoutMs: seconds('KEYWARD_SOCKET_IDLE_TIMEOUT_SECONDS', 120, 0),
  };
  if (http.headersTimeoutMs > http.requestTimeoutMs) {
    throw new ConfigError(
      'KEYWARD_HEADERS_TIMEOUT_SECONDS',
      `must not be longer than KEYWARD_REQUEST_TIMEOUT_SECONDS (${http.requestTimeoutMs / 1000})`,
    );
  }
  return http;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Parses the configuration. This and the CLI entry point are the only places that look at the environment:
 * the entry point passes `process.env` in, tests pass a literal map.
 */
export function loadConfig(env: Env, overrides: Partial<Config> = {}): Config {
  const dataDir = path.resolve(env.KEYWARD_DATA_DIR?.trim() || 'data');
  const url = env.DATABASE_URL?.trim();
  if (url && !/^postgres(ql)?:\/\//.test(url)) {
    throw new ConfigError('DATABASE_URL', 'must start with postgres:// or postgresql://');
  }
  const logLevel = (env.LOG_LEVEL?.trim() || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  const bootstrapToken = env.KEYWARD_BOOTSTRAP_TOKEN?.trim() || null;
  if (bootstrapToken !== null && bootstrapToken.length < 24) {
    throw new ConfigError('KEYWARD_BOOTSTRAP_TOKEN', 'must be at least 24 characters long');
  }
  const secret = env.KEYWARD_SECRET?.trim() || null;
  if (secret !== null && secret.length < 32)
    throw new ConfigError('KEYWARD_SECRET', 'must be at least 32 characters long');
  if (secret === null && url) {
    throw new ConfigError('KEYWARD_SECRET', 'is required with DATABASE_URL: every server process must share it');
  }
  const config: Config = {
    database: url
      ? {
          kind: 'postgres',
          url,
          poolSize: int(env, 'DATABASE_POOL_SIZE', 10, 1, 500),
          connectTimeoutMs: int(env, 'DATABASE_CONNECT_TIMEOUT_SECONDS', 10, 1, 600) * 1000,
        }
      : { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') },
    dataDir,
    host: env.HOST?.trim() || '127.0.0.1',
    port: int(env, 'PORT', 3000, 0, 65535),
    logLevel,
    bootstrapToken,
    secret,
    seedDemoData: bool(env, 'KEYWARD_SEED_DEMO', true),
    trustProxy: trustProxy(env),
    bodyLimitBytes: int(env, 'KEYWARD_BODY_LIMIT_BYTES', 1_048_576, 1024, 1_073_741_824),
    http: httpTimeouts(env),
    rateLimit: {
      perIp: int(env, 'KEYWARD_RATE_LIMIT_PER_IP', 600, 1, 10_000_000),
      perKey: int(env, 'KEYWARD_RATE_LIMIT_PER_KEY', 120, 1, 10_000_000),
      windowSeconds: int(env, 'KEYWARD_RATE_LIMIT_WINDOW_SECONDS', 60, 1, 86_400),
    },
    expiringWindowDays: int(env, 'KEYWARD_EXPIRING_WINDOW_DAYS', 30, 1, 365),
    jobs: {
      enabled: bool(env, 'KEYWARD_JOBS', true),
      flagMetricsRetentionDays: int(env, 'KEYWARD_FLAG_METRICS_RETENTION_DAYS', 90, 1, 3650),
    },
    staff: staff(env),
  };
  return { ...config, ...overrides };
}
