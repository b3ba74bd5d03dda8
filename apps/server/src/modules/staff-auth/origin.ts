import type { AddressInfo } from 'node:net';
import type { Config } from '../../platform/config.ts';
import type { App } from '../../platform/http/types.ts';

/**
 * The origin of links in mails: KEYWARD_PUBLIC_URL, else the address the server listens on. Never the request's
 * Host header (anyone could make a reset mail point at their own site).
 */
export function mailOrigin(app: App, config: Pick<Config, 'host' | 'port' | 'staff'>): () => string {
  return () => {
    if (config.staff.publicUrl) return config.staff.publicUrl;
    const address = app.server.address() as AddressInfo | null;
    const port = address && typeof address === 'object' ? address.port : config.port;
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  };
}
