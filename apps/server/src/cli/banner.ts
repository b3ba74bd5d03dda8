import type { Config } from '../platform/config.ts';
import { bold, type CliIo, dim, green, line, yellow } from './io.ts';

export interface BannerInfo {
  host: string;
  port: number;
  database: Config['database'];
  /** The admin token created by this start (null when one existed already). */
  adminToken: string | null;
  /** The dashboard admin user created by this start (password only when generated; shown once). */
  adminUser?: { email: string; password: string | null } | null;
  seeded: boolean;
  migrationsApplied: string[];
}

/** The URL people open: wildcard addresses are shown as localhost, IPv6 literals get brackets. */
export function publicUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}

export function describeDatabase(database: Config['database']): string {
  if (database.kind === 'pglite') {
    return database.dataDir ? `embedded (PGlite) at ${database.dataDir}` : 'embedded (PGlite) in memory';
  }
  try {
    const url = new URL(database.url);
    return `PostgreSQL ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}

export function printBanner(io: CliIo, info: BannerInfo): void {
  const url = publicUrl(info.host, info.port);
  const row = (label: string, value: string) => line(io, `  ${dim(io, label.padEnd(10))} ${value}`);
  line(io);
  line(io, `  ${green(io, bold(io, 'Keyward is running'))}`);
  line(io);
  row('URL', url);
  row('Dashboard', `${url}/`);
  row('API docs', `${url}/docs`);
  row('Database', describeDatabase(info.database));
  if (info.host === '0.0.0.0' || info.host === '::') row('Listening', `on all interfaces (${info.host})`);
  if (info.migrationsApplied.length > 0) row('Migrated', info.migrationsApplied.join(', '));
  if (info.seeded) row('Demo data', 'seeded (2 products, plans, accounts and licenses)');
  if (info.adminToken) {
    line(io);
    line(io, `  ${yellow(io, bold(io, 'Admin API token — shown once; store it now:'))}`);
    line(io);
    line(io, `    ${info.adminToken}`);
    line(io);
    line(io, `  ${dim(io, `Use it as: curl -H "Authorization: Bearer <token>" ${url}/v1/products`)}`);
  }
  if (info.adminUser) {
    line(io);
    if (info.adminUser.password) {
      line(io, `  ${yellow(io, bold(io, 'Dashboard admin — password shown once; sign in and store it now:'))}`);
      line(io);
      line(io, `    ${dim(io, 'Email')}     ${info.adminUser.email}`);
      line(io, `    ${dim(io, 'Password')}  ${info.adminUser.password}`);
    } else {
      row('Admin user', `${info.adminUser.email} (password from KEYWARD_ADMIN_PASSWORD)`);
    }
  }
  line(io);
  line(io, `  ${dim(io, 'Press Ctrl+C to stop.')}`);
  line(io);
}
