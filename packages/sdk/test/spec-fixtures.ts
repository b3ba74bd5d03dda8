/**
 * Test-only: keys, license files, signed keys and signed responses made with node:crypto, straight from
 * docs/license-files.md — independent of the SDK code under test.
 */
import {
  createCipheriv,
  createHash,
  generateKeyPairSync,
  type KeyObject,
  pbkdf2Sync,
  randomBytes,
  sign,
} from 'node:crypto';

export interface TestKey {
  kid: string;
  publicKey: string;
  privateKey: KeyObject;
}

export function makeKey(): TestKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  const kid = createHash('sha256').update(raw).digest('base64url').slice(0, 16);
  return { kid, publicKey: raw.toString('base64'), privateKey };
}

/** The /v1/keys response for these keys (the first is active); `endorsements` by kid (the key chain). */
export const keysJson = (...keys: TestKey[]) => keysJsonWith({}, ...keys);

export const keysJsonWith = (endorsements: Record<string, { kid: string; sig: string }>, ...keys: TestKey[]) => ({
  keys: keys.map((k, i) => ({
    kid: k.kid,
    alg: 'Ed25519',
    publicKey: k.publicKey,
    jwk: {
      kty: 'OKP',
      crv: 'Ed25519',
      x: Buffer.from(k.publicKey, 'base64').toString('base64url'),
      kid: k.kid,
      use: 'sig',
    },
    createdAt: '2026-11-22T10:00:00.000Z',
    active: i === 0,
    endorsement: endorsements[k.kid] ?? null,
  })),
});

/** `signer` vouches for `key`: the endorsement a rotation stores (docs/license-files.md, "Key chain"). */
export function endorse(signer: TestKey, key: TestKey): { kid: string; sig: string } {
  const message = `keyward-key-endorsement/1/${signer.kid}/${key.kid}/${key.publicKey}`;
  return { kid: signer.kid, sig: ed25519(signer, message).toString('base64url') };
}

const ed25519 = (key: TestKey, message: string) => sign(null, Buffer.from(message, 'ascii'), key.privateKey);

export const LICENSE_KEY = 'ACME-7K3QX2-9D0VNM-TQ4H8P-2WZC6R-JB5E1Y';
export const ISSUED = '2026-11-22T10:00:00.000Z';
export const FILE_EXPIRES = '2026-12-22T10:00:00.000Z';
/** A moment when a default payload is valid. */
export const NOW = new Date('2026-11-25T12:00:00.000Z');

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object | null ? Partial<T[K]> | null : T[K] };

export function payload(over: DeepPartial<ReturnType<typeof basePayload>> = {}) {
  const base = basePayload();
  return {
    ...base,
    ...over,
    meta: { ...base.meta, ...over.meta },
    license: { ...base.license, ...over.license },
    plan: { ...base.plan, ...over.plan },
    machine: over.machine === undefined ? base.machine : over.machine,
  };
}

function basePayload() {
  return {
    format: 'keyward-license/1',
    meta: { issuedAt: ISSUED, expiresAt: FILE_EXPIRES, ttlSeconds: 2592000 },
    license: {
      id: '5b0f6d1e-8a57-4b43-9c11-2f4c4d0b7a10',
      key: LICENSE_KEY,
      name: 'Acme Corp',
      type: 'subscription',
      status: 'active',
      startsAt: '2026-01-01T00:00:00.000Z',
      endsAt: '2027-01-01T00:00:00.000Z' as string | null,
      graceEndsAt: '2027-01-15T00:00:00.000Z' as string | null,
      maintenanceEndsAt: null,
      maxMachines: 5,
      domains: [],
      entitlements: ['sso'],
      metadata: {},
    },
    product: { id: '0d7c2d55-3f1b-4f7e-a4a3-6c2b3f5d9e01', code: 'ACME', name: 'Acme' },
    plan: {
      id: '8f1e3a22-1b2c-4d5e-8f90-112233445566',
      name: 'Pro',
      expirationStrategy: 'restrict',
      graceDays: 14,
      floating: true,
      heartbeatIntervalSeconds: null,
    },
    account: { id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', name: 'Acme Corp' },
    machine: null as { id: string; fingerprint: string } | null,
  };
}

export function armor(envelope: object): string {
  const body = Buffer.from(JSON.stringify(envelope), 'utf8').toString('base64');
  return `-----BEGIN KEYWARD LICENSE-----\n${body.match(/.{1,64}/g)!.join('\n')}\n-----END KEYWARD LICENSE-----\n`;
}

export interface FileOptions {
  /**
   * Encrypt with SHA-256(licenseKey [+ "\n" + fingerprint]), or with PBKDF2-HMAC-SHA-256 of it (`pbkdf2`: the
   * iterations; the alg pbkdf2-sha256+aes-256-gcm+ed25519, version 2 only).
   */
  encrypt?: { licenseKey: string; fingerprint?: string; pbkdf2?: number };
  /** Name this kid in the envelope instead of the signer's. */
  kid?: string;
  /** Envelope version (default 2; 1 = files made before `bind`; anything else is written as 2 is). */
  v?: number;
  /** Version 2: the bind to state (default: machine when the payload names a machine, else license). */
  bind?: string;
}

export function licenseFile(key: TestKey, body: object, o: FileOptions = {}): string {
  const json = Buffer.from(JSON.stringify(body), 'utf8');
  let alg = 'ed25519';
  let enc = json.toString('base64url');
  if (o.encrypt) {
    const { licenseKey, fingerprint, pbkdf2 } = o.encrypt;
    const secret = fingerprint === undefined ? licenseKey : `${licenseKey}\n${fingerprint}`;
    const iv = randomBytes(12);
    const salt = randomBytes(16);
    const aesKey = pbkdf2
      ? pbkdf2Sync(Buffer.from(secret, 'utf8'), salt, pbkdf2, 32, 'sha256')
      : createHash('sha256').update(secret, 'utf8').digest();
    alg = pbkdf2 ? 'pbkdf2-sha256+aes-256-gcm+ed25519' : 'aes-256-gcm+ed25519';
    const cipher = createCipheriv('aes-256-gcm', aesKey, iv);
    const ciphertext = Buffer.concat([cipher.update(json), cipher.final()]);
    const parts = [iv, ciphertext, cipher.getAuthTag()].map((b) => b.toString('base64url'));
    enc = (pbkdf2 ? [String(pbkdf2), salt.toString('base64url'), ...parts] : parts).join('.');
  }
  const kid = o.kid ?? key.kid;
  const v = o.v ?? 2;
  if (v === 1) {
    const sig = ed25519(key, `keyward-license/1/${alg}/${kid}/${enc}`).toString('base64url');
    return armor({ v, alg, kid, enc, sig });
  }
  const bind = o.bind ?? ((body as { machine?: unknown }).machine ? 'machine' : 'license');
  const sig = ed25519(key, `keyward-license/2/${alg}/${kid}/${bind}/${enc}`).toString('base64url');
  return armor({ v, alg, kid, bind, enc, sig });
}

/** A version 2 envelope with these fields, signed as is (to build files with odd `enc` contents). */
export function signedEnvelope(key: TestKey, e: { alg: string; bind: string; enc: string }): string {
  const sig = ed25519(key, `keyward-license/2/${e.alg}/${key.kid}/${e.bind}/${e.enc}`).toString('base64url');
  return armor({ v: 2, alg: e.alg, kid: key.kid, bind: e.bind, enc: e.enc, sig });
}

export function signedKey(key: TestKey, data: object): string {
  const segment = Buffer.from(JSON.stringify(data), 'utf8').toString('base64url');
  return `KW1.${key.kid}.${segment}.${ed25519(key, `keyward-key/1/${key.kid}/${segment}`).toString('base64url')}`;
}

/** The Keyward-Signature header for a response. */
export function signResponse(
  key: TestKey,
  r: { method: string; path: string; ts: string; nonce?: string | number | null; body: string },
): string {
  const hash = createHash('sha256').update(Buffer.from(r.body, 'utf8')).digest('hex');
  // A string (or no) nonce: v=1, the string as is; an integer: v=2, `i:<decimal>`.
  const v = typeof r.nonce === 'number' ? 2 : 1;
  const nonce = r.nonce === undefined || r.nonce === null ? '' : v === 2 ? `i:${r.nonce}` : String(r.nonce);
  const message = [`keyward-response/${v}`, `${r.method} ${r.path}`, r.ts, nonce, hash].join('\n');
  return `v=${v}; kid=${key.kid}; ts=${r.ts}; sig=${sign(null, Buffer.from(message, 'utf8'), key.privateKey).toString('base64url')}`;
}
