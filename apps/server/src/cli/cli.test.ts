import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_SECRET } from '../../test/harness.ts';
import { buildApp } from '../app.ts';
import { systemContext } from '../platform/auth/actor.ts';
import { loadConfig } from '../platform/config.ts';
import { type CliKit, startCliKit } from './cli-test-kit.ts';
import { memoryIo } from './io.ts';
import { run } from './main.ts';
import { DEMO_MARKER, seedDemoOnce } from './seed.ts';

let kit: CliKit;

beforeAll(async () => {
  kit = await startCliKit();
});
afterAll(async () => {
  await kit?.close();
});

const json = async (args: string[]) => {
  const res = await kit.cli([...args, '--json']);
  expect(res.stderr, args.join(' ')).toBe('');
  expect(res.code).toBe(0);
  return JSON.parse(res.stdout);
};

describe('keyward CLI', () => {
  it('prints help with the commands, and exits 2 on a wrong command line', async () => {
    const help = await kit.cli(['--help']);
    expect(help.code).toBe(0);
    for (const cmd of ['start', 'migrate', 'tokens', 'products', 'plans', 'accounts', 'licenses', 'import', 'export']) {
      expect(help.stdout).toContain(cmd);
    }
    const bad = await kit.cli(['licenses', 'extend', 'x', '--days', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("option '--days <n>' argument 'soon' is invalid");
    expect((await kit.cli(['frobnicate'])).code).toBe(2);
  });

  it('prints one red-free line with the code for an AppError, no stack, exit 1', async () => {
    expect((await kit.cli(['products', 'create', '--code', 'CLI', '--name', 'CLI product'])).code).toBe(0);
    const dup = await kit.cli(['products', 'create', '--code', 'CLI', '--name', 'Again']);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toBe('error PRODUCT_CODE_TAKEN: Product code CLI is already used\n');
    const invalid = await kit.cli(['products', 'create', '--code', 'lower', '--name', 'x']);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('error VALIDATION_FAILED');
    expect(invalid.stderr).toContain('--code:');
  });

  it('reports configuration errors as CONFIG_INVALID (exit 1)', async () => {
    const io = memoryIo();
    const code = await run(['migrate'], { io, env: { PORT: 'eighty' } });
    expect(code).toBe(1);
    expect(io.stderr()).toBe(
      'error CONFIG_INVALID: Invalid configuration: PORT must be a whole number, got "eighty"\n',
    );
  });

  it('creates and lists products, plans, accounts, licenses and runs the license actions', async () => {
    await json(['products', 'create', '--code', 'TOOL', '--name', 'Tool']);
    const plan = await json([
      'plans',
      'create',
      '--product',
      'TOOL',
      '--name',
      'Yearly',
      '--type',
      'subscription',
      '--duration-days',
      '365',
      '--grace-days',
      '7',
      '--max-machines',
      '3',
      '--entitlements',
      'a,b',
    ]);
    expect(plan).toMatchObject({ name: 'Yearly', durationDays: 365, maxMachines: 3, entitlements: ['a', 'b'] });
    const account = await json([
      'accounts',
      'create',
      '--name',
      'Acme Corp',
      '--crm-id',
      'SF-1',
      '--email-domains',
      'acme.example',
      '--contact',
      'Jane Doe <jane@acme.example> (billing)',
    ]);
    expect(account.contacts).toEqual([{ name: 'Jane Doe', email: 'jane@acme.example', role: 'billing' }]);
    const license = await json([
      'licenses',
      'create',
      '--plan',
      'TOOL/yearly',
      '--account',
      'SF-1',
      '--name',
      'Prod',
      '--starts',
      '2026-01-01',
      '--domains',
      'a.example',
      '--payment-status',
      'paid',
    ]);
    expect(license).toMatchObject({ status: 'active', endsAt: '2027-01-01T00:00:00.000Z', maxMachines: 3 });

    const extended = await json(['licenses', 'extend', license.key.toLowerCase(), '--days', '7']);
    expect(extended.endsAt).toBe('2027-01-08T00:00:00.000Z');
    expect((await json(['licenses', 'extend', license.id, '--days', '-7'])).endsAt).toBe('2027-01-01T00:00:00.000Z');
    expect((await json(['licenses', 'suspend', license.id])).status).toBe('suspended');
    expect((await json(['licenses', 'reinstate', license.id])).status).toBe('active');
    expect((await json(['licenses', 'set-expiry', license.id, '--date', '2026-06-30'])).endsAt).toBe(
      '2026-06-30T00:00:00.000Z',
    );
    const other = await json(['accounts', 'create', '--name', 'Other']);
    expect((await json(['licenses', 'transfer', license.id, '--account', other.id])).account.id).toBe(other.id);

    const key = await kit.cli(['licenses', 'key', license.id]);
    expect(key.stdout).toContain(`Key:     ${license.key}`);
    expect(key.stdout).toContain(`Base64:  ${Buffer.from(license.key).toString('base64')}`);
    expect(key.stdout).toContain('kind: Secret');

    const table = await kit.cli(['licenses', 'list']);
    expect(table.stdout).toMatch(/^id\s+key\s+product\s+plan\s+account\s+status/);
    expect(table.stdout).toContain(license.key);
    expect((await json(['licenses', 'list', '--status', 'active'])).data).toHaveLength(1);

    const audit = await sql<{ action: string; actor_name: string }>`
      select action, actor_name from audit_events where license_id = ${license.id} order by id`.execute(
      kit.kw.database.db,
    );
    expect(audit.rows.map((r) => r.action)).toEqual([
      'license.created',
      'license.extended',
      'license.extended',
      'license.suspended',
      'license.reinstated',
      'license.expiry_set',
      'license.transferred',
    ]);
    expect(new Set(audit.rows.map((r) => r.actor_name))).toEqual(new Set(['cli']));
  });

  it('creates tokens (secret printed once) and lists them without secrets', async () => {
    const created = await kit.cli(['tokens', 'create', '--name', 'ci', '--role', 'product', '--product', 'TOOL']);
    expect(created.code).toBe(0);
    const secret = /^(kw_\w+)$/m.exec(created.stdout)?.[1];
    expect(secret).toBeDefined();
    expect(created.stdout).toContain('shown once');
    const list = await kit.cli(['tokens', 'list']);
    expect(list.stdout).toContain('ci');
    expect(list.stdout).not.toContain(secret!);
    const noProduct = await kit.cli(['tokens', 'create', '--name', 'x', '--role', 'product']);
    expect(noProduct.code).toBe(1);
    expect(noProduct.stderr).toContain('error VALIDATION_FAILED');
    // Client tokens (Unleash SDKs, docs/feature-flags.md) are confined to a product too.
    const client = await kit.cli([
      'tokens',
      'create',
      '--name',
      'sdk',
      '--role',
      'client',
      '--product',
      'TOOL',
      '--json',
    ]);
    expect(client.code, client.stderr).toBe(0);
    expect(JSON.parse(client.stdout).token).toMatchObject({ role: 'client', productId: expect.any(String) });
    expect((await kit.cli(['tokens', 'create', '--name', 'y', '--role', 'client'])).code).toBe(1);
  });
});

describe('demo seed', () => {
  it('seeds once, audited, with licenses in every state', async () => {
    // The CLI tests above created products: a database with data is never seeded, only marked.
    await sql`delete from instance_settings where key = ${DEMO_MARKER}`.execute(kit.kw.database.db);
    const fresh = await createTestDatabase();
    const config = loadConfig({ LOG_LEVEL: 'silent', KEYWARD_SECRET: TEST_SECRET }, { database: fresh.config });
    const kw = await buildApp(config, {
      database: fresh.database,
      clock: kit.clock,
    });
    try {
      const [a, b] = await Promise.all([seedDemoOnce(kw), seedDemoOnce(kw)]);
      expect([a, b].sort()).toEqual([false, true]);
      expect(await seedDemoOnce(kw)).toBe(false);
      expect(await seedDemoOnce(kit.kw)).toBe(false);
      const ctx = systemContext('test');
      const licenses = await kw.services.licenses.list(ctx, { limit: 100 });
      const statuses = new Set(licenses.data.map((l) => l.status));
      for (const s of ['active', 'expiring', 'in_grace', 'expired', 'suspended', 'pending'])
        expect(statuses).toContain(s);
      expect(licenses.data.some((l) => l.licenseType === 'trial')).toBe(true);
      expect((await kw.services.products.list(ctx, {})).data.map((p) => p.code).sort()).toEqual(['ACME', 'FLOW']);
      const actors = await sql<{ actor_name: string; n: number }>`
        select actor_name, count(*)::int as n from audit_events group by actor_name`.execute(fresh.database.db);
      expect(actors.rows).toEqual([{ actor_name: 'seed', n: expect.any(Number) }]);
      // Entitlements and flags to show: Globex's account override decides its API-call limit, with usage.
      const globex = licenses.data.find((l) => l.name === 'Globex production');
      const state = await kw.services.entitlements.forLicense(ctx, globex?.id ?? '');
      expect(state.properties.find((p) => p.key === 'api_calls')).toMatchObject({
        value: 120_000,
        source: { kind: 'account_override' },
        usage: { used: 38_250, status: 'ok' },
      });
      expect(state.properties.find((p) => p.key === 'sso')).toMatchObject({ value: true, source: { kind: 'plan' } });
      const trial = licenses.data.find((l) => l.name === 'Umbrella analytics trial');
      const trialState = await kw.services.entitlements.forLicense(ctx, trial?.id ?? '');
      expect(trialState.flags.find((f) => f.key === 'ai-insights')).toMatchObject({ enabled: true });
      expect(trialState.properties.find((p) => p.key === 'api_calls')).toMatchObject({
        enforcement: 'soft',
        usage: { used: 4_400, status: 'warning' },
      });
    } finally {
      await kw.close();
      await fresh.drop();
    }
  });
});
