#!/usr/bin/env node
// Keyward SDK example: validate online, fall back to the cached license file when the server cannot be reached.
//   LICENSE_KEY=ACME-… node examples/offline-fallback/app.mjs
// Settings (environment): KEYWARD_URL (default http://127.0.0.1:3000), LICENSE_KEY, FINGERPRINT (default: the host
// name), KEYWARD_CACHE_DIR (default: .keyward-cache next to this file).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// The SDK ships as TypeScript source (no build step): tsx compiles it on import.
register();
const { ClockGuard, KeywardClient, KeywardError, verifyLicenseFile } = await import('@keyward/sdk');

const baseUrl = process.env.KEYWARD_URL ?? 'http://127.0.0.1:3000';
const licenseKey = process.env.LICENSE_KEY ?? process.argv[2];
const fingerprint = process.env.FINGERPRINT ?? hostname();
const cacheDir =
  process.env.KEYWARD_CACHE_DIR ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '.keyward-cache');
if (!licenseKey) {
  console.error('Usage: LICENSE_KEY=ACME-… node examples/offline-fallback/app.mjs');
  process.exit(2);
}

const cached = (name) => {
  try {
    return readFileSync(path.join(cacheDir, name), 'utf8');
  } catch {
    return null;
  }
};
const cache = (name, text) => {
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(path.join(cacheDir, name), text, { mode: 0o600 });
};

// Remembers the latest time seen, so that setting the clock back to stretch a license file is noticed.
const guard = ClockGuard.restore(cached('clock'));

async function online() {
  const keyward = new KeywardClient({ baseUrl, timeoutMs: 5000 }); // verifies every signed response
  await keyward.activate({ key: licenseKey, fingerprint, hostname: hostname(), platform: process.platform });
  const result = await keyward.validateKey(licenseKey, { fingerprint });
  if (!result.valid) return { ok: false, why: `${result.code}: ${result.detail}` };
  // Refresh the offline copy: machine-bound and encrypted, verified before it is cached.
  const file = await keyward.checkOut({ key: licenseKey, fingerprint, encrypt: true });
  cache('license.lic', file.certificate);
  cache('keys.json', JSON.stringify(await keyward.getPublicKeys()));
  cache('clock', guard.observe(result.meta.ts));
  return { ok: true, why: `${result.code} online; offline copy valid until ${file.expiresAt}` };
}

async function offline() {
  const text = cached('license.lic');
  const keys = cached('keys.json');
  if (!text || !keys) return { ok: false, why: 'no cached license file: connect to the server once' };
  const result = await verifyLicenseFile(text, {
    publicKeys: JSON.parse(keys),
    licenseKey,
    fingerprint,
    lastSeenAt: guard.lastSeen,
  });
  if (!result.valid) return { ok: false, why: `${result.reason}: ${result.detail}` };
  cache('clock', guard.observe());
  return { ok: true, why: `${result.code} offline (cached file, refresh by ${result.payload.meta.expiresAt})` };
}

let outcome;
try {
  outcome = await online();
} catch (err) {
  if (!(err instanceof KeywardError)) throw err;
  if (err.isNetworkError || err.status >= 500) {
    console.log(`Server unavailable (${err.code}); checking the cached license file.`);
    outcome = await offline();
  } else {
    // A refusal (revoked, too many machines …) or a bad signature is final: no fallback.
    outcome = { ok: false, why: `${err.code}: ${err.message}` };
  }
}
console.log(`${outcome.ok ? 'Licensed' : 'Not licensed'}: ${outcome.why}`);
process.exit(outcome.ok ? 0 : 1);
