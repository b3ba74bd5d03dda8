import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { followKeyChain, verifyResponseSignature } from '../../../test/support/spec-verifier.ts';
import { type CliKit, startCliKit } from '../../cli/cli-test-kit.ts';
import { systemContext } from '../../platform/auth/actor.ts';
import { createLicense, createProduct, createToken, NO_RATE_LIMIT, validate } from '../client/test-fixtures.ts';
import { SigningKeyStore } from './key-store.ts';
import { SigningService } from './signing.service.ts';

const OTHER_SECRET = 'a-different-secret-0123456789abcdefghijkl';

interface PublishedKey {
  kid: string;
  alg: string;
  publicKey: string;
  jwk: { kty: string; crv: string; x: string; kid: string; use: string };
  createdAt: string;
  active: boolean;
  endorsement: { kid: string; sig: string } | null;
}

const kidOfPublicKey = (b64: string) =>
  createHash('sha256').update(Buffer.from(b64, 'base64')).digest('base64url').slice(0, 16);

describe(`public signing keys and rotation (${dbKind})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ configOverrides: NO_RATE_LIMIT });
  });
  afterAll(async () => t.close());

  const publicKeys = async (url = '/v1/keys'): Promise<PublishedKey[]> => {
    const res = await t.request({ method: 'GET', url, token: null });
    expect(res.statusCode).toBe(200);
    return res.json().keys;
  };

  it('publishes the keys without a token, exactly in the documented shape, kid recomputable from the key', async () => {
    const res = await t.request({ method: 'GET', url: '/v1/keys', token: null });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=60');
    const { keys } = res.json() as { keys: PublishedKey[] };
    expect(keys).toHaveLength(1); // made when the app started
    const [key] = keys;
    expect(Object.keys(key!)).toEqual(['kid', 'alg', 'publicKey', 'jwk', 'createdAt', 'active', 'endorsement']);
    expect(Object.keys(key!.jwk)).toEqual(['kty', 'crv', 'x', 'kid', 'use']);
    expect(key).toEqual({
      kid: kidOfPublicKey(key!.publicKey),
      alg: 'Ed25519',
      publicKey: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
      jwk: {
        kty: 'OKP',
        crv: 'Ed25519',
        x: Buffer.from(key!.publicKey, 'base64').toString('base64url'),
        kid: key!.kid,
        use: 'sig',
      },
      createdAt: t.clock.now().toISOString(),
      active: true,
      endorsement: null, // the first key: nothing vouches for it
    });
    expect(Buffer.from(key!.publicKey, 'base64')).toHaveLength(32);
    expect(createPublicKey({ key: key!.jwk, format: 'jwk' }).asymmetricKeyType).toBe('ed25519');
    expect(await publicKeys('/.well-known/keyward-keys.json')).toEqual(keys);
  });

  it('rotates (admin only, audited): old keys stay listed and verifying, new responses use the new kid', async () => {
    const f = await createLicense(t);
    const [original] = await publicKeys();
    const before = await validate(t, { key: f.key, nonce: 'before' });
    const beforeHeader = before.headers['keyward-signature'] as string;
    expect(beforeHeader).toContain(`kid=${original!.kid};`);

    const product = await createProduct(t);
    for (const [token, status] of [
      [null, 401],
      [await createToken(t, 'read-only'), 403],
      [await createToken(t, 'product', product.id), 403],
    ] as const) {
      expect((await t.request({ method: 'POST', url: '/v1/signing-keys/rotate', token })).statusCode).toBe(status);
    }
    t.clock.advanceSeconds(5);
    const rotated = await t.request({ method: 'POST', url: '/v1/signing-keys/rotate' });
    expect(rotated.statusCode).toBe(201);
    const { key: newKey, previousKid } = rotated.json() as { key: PublishedKey; previousKid: string };
    expect(previousKid).toBe(original!.kid);
    expect(newKey).toMatchObject({ active: true, createdAt: t.clock.now().toISOString() });
    expect(newKey.kid).toBe(kidOfPublicKey(newKey.publicKey));

    const keys = await publicKeys();
    expect(keys.map((k) => [k.kid, k.active])).toEqual([
      [newKey.kid, true],
      [original!.kid, false],
    ]);

    // The response signed before the rotation still verifies with the old (listed) key.
    const fields = Object.fromEntries(beforeHeader.split('; ').map((p) => p.split('=', 2) as [string, string]));
    const message = [
      'keyward-response/1',
      'POST /v1/licenses/validate-key',
      fields.ts,
      'before',
      createHash('sha256').update(before.rawPayload).digest('hex'),
    ].join('\n');
    const oldKey = createPublicKey({ key: keys[1]!.jwk, format: 'jwk' });
    expect(verify(null, Buffer.from(message), oldKey, Buffer.from(fields.sig!, 'base64url'))).toBe(true);

    const after = await validate(t, { key: f.key, nonce: 'after' });
    expect(after.headers['keyward-signature']).toContain(`kid=${newKey.kid};`);

    const audit = await t.request({ method: 'GET', url: '/v1/audit-events?action=signing_key.rotated' });
    expect(audit.json().data).toEqual([
      expect.objectContaining({
        action: 'signing_key.rotated',
        target: expect.objectContaining({ type: 'signing_key', id: newKey.kid }),
        before: { activeKid: original!.kid },
        after: { activeKid: newKey.kid, publicKey: newKey.publicKey, endorsedBy: original!.kid },
      }),
    ]);
  });
});

describe(`the key chain (${dbKind})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ configOverrides: NO_RATE_LIMIT });
  });
  afterAll(async () => t.close());

  const published = async (): Promise<PublishedKey[]> =>
    (await t.request({ method: 'GET', url: '/.well-known/keyward-keys.json', token: null })).json().keys;
  const rotate = async () => {
    const res = await t.request({ method: 'POST', url: '/v1/signing-keys/rotate' });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { key: PublishedKey; previousKid: string };
  };

  it('each rotation signs the new key with the one it replaces; a pinned first key reaches the newest', async () => {
    const [first] = await published();
    const second = await rotate();
    const third = await rotate();
    expect(second.key.endorsement).toEqual({ kid: first!.kid, sig: expect.stringMatching(/^[\w-]{86}$/) });
    expect(third.key.endorsement?.kid).toBe(second.key.kid);
    const keys = await published();
    expect(keys.find((k) => k.kid === third.key.kid)?.endorsement).toEqual(third.key.endorsement);
    // Verified exactly as docs/license-files.md says, by the spec verifier (node:crypto only).
    const pinned = { [first!.kid]: first!.publicKey };
    const chained = followKeyChain(pinned, keys);
    expect(Object.keys(chained).sort()).toEqual([first!.kid, second.key.kid, third.key.kid].sort());
    // A response signed by the newest key verifies with the chained set.
    const f = await createLicense(t);
    const res = await validate(t, { key: f.key, nonce: 'chain' });
    const request = { method: 'POST', path: '/v1/licenses/validate-key', nonce: 'chain' };
    expect(verifyResponseSignature(String(res.headers['keyward-signature']), chained, request, res.body).kid).toBe(
      third.key.kid,
    );
  });

  it('a forged or moved endorsement does not extend the chain', async () => {
    const keys = await published();
    const endorsed = keys.find((k) => k.endorsement !== null)!;
    const signer = keys.find((k) => k.kid === endorsed.endorsement!.kid)!;
    const pinned = { [signer.kid]: signer.publicKey };
    const attacker = generateKeyPairSync('ed25519').publicKey;
    const attackerKey = Buffer.from(attacker.export({ format: 'jwk' }).x!, 'base64url').toString('base64');
    const moved = { kid: kidOfPublicKey(attackerKey), publicKey: attackerKey, endorsement: endorsed.endorsement };
    expect(followKeyChain(pinned, [moved])).toEqual(pinned);
    const flipped = endorsed.endorsement!.sig.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    const forged = { ...endorsed, endorsement: { kid: signer.kid, sig: flipped } };
    expect(followKeyChain(pinned, [forged])).toEqual(pinned);
  });

  it('a rotation that cannot read the old key (lost secret) still works, without an endorsement', async () => {
    const { db } = t.kw.database;
    const store = new SigningKeyStore({ db, clock: t.clock, secret: OTHER_SECRET });
    const result = await new SigningService({ db, clock: t.clock, secret: OTHER_SECRET, store }).rotate(
      systemContext('elsewhere'),
    );
    expect(result.key.endorsement).toBeNull();
    const audit = await db
      .selectFrom('audit_events')
      .select('after')
      .where('target_id', '=', result.key.kid)
      .executeTakeFirstOrThrow();
    expect(audit.after).toMatchObject({ activeKid: result.key.kid, endorsedBy: null });
  });
});

describe(`keyward keys (CLI, ${dbKind})`, () => {
  let kit: CliKit;
  beforeAll(async () => {
    kit = await startCliKit();
  });
  afterAll(async () => kit.close());

  it('lists and rotates signing keys', async () => {
    const empty = await kit.cli(['keys', 'list']);
    expect(empty).toMatchObject({ code: 0, stdout: expect.stringContaining('No signing key yet') });
    const first = await kit.cli(['keys', 'rotate', '--json']);
    expect(first.code).toBe(0);
    const created = JSON.parse(first.stdout) as { key: PublishedKey; previousKid: string | null };
    expect(created.previousKid).toBeNull();
    const second = await kit.cli(['keys', 'rotate']);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^New active signing key [A-Za-z0-9_-]{16} \(Ed25519\)\.\n/);
    expect(second.stdout).toContain(`Retired ${created.key.kid}: still listed for verification.`);
    const list = await kit.cli(['keys', 'list', '--json']);
    const { keys } = JSON.parse(list.stdout) as { keys: PublishedKey[] };
    expect(keys.map((k) => k.active)).toEqual([true, false]);
    expect(keys[1]!.kid).toBe(created.key.kid);
    expect(keys[0]!.endorsement?.kid).toBe(created.key.kid); // the CLI's rotation signs the new key too
    const table = await kit.cli(['keys', 'list']);
    expect(table.stdout).toContain(created.key.kid);
    expect(table.stdout).toContain('Ed25519');
    const audit = await kit.kw.database.db
      .selectFrom('audit_events')
      .select(['action', 'actor_name'])
      .where('action', '=', 'signing_key.rotated')
      .execute();
    expect(audit).toEqual([
      { action: 'signing_key.rotated', actor_name: 'cli' },
      { action: 'signing_key.rotated', actor_name: 'cli' },
    ]);
  });
});
