import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind } from '../../test/harness.ts';
import { systemContext } from '../platform/auth/actor.ts';
import { type CliKit, startCliKit } from './cli-test-kit.ts';
import { seedDemoOnce } from './seed.ts';

/** `keyward entitlements` and `keyward explain` on the demo data (the catalogue a fresh `npm start` has). */
describe(`CLI: entitlements and explain (${dbKind})`, () => {
  let kit: CliKit;
  let globexKey: string;
  let trialKey: string;
  let workstationKey: string;

  beforeAll(async () => {
    kit = await startCliKit();
    expect(await seedDemoOnce(kit.kw)).toBe(true);
    const licenses = await kit.kw.services.licenses.list(systemContext('test'), { limit: 100 });
    globexKey = licenses.data.find((l) => l.name === 'Globex production')?.key ?? '';
    trialKey = licenses.data.find((l) => l.name === 'Umbrella analytics trial')?.key ?? '';
    workstationKey = licenses.data.find((l) => l.name === 'Globex design workstation')?.key ?? '';
  });
  afterAll(async () => kit.close());

  it('prints what a license may do: values with sources, usage, flags', async () => {
    const out = await kit.cli(['entitlements', globexKey]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/api_calls\s+120000 calls\s+account_override\s+38250\/120000 ok/);
    expect(out.stdout).toMatch(/sso\s+true\s+plan \(Business Yearly\)/);
    expect(out.stdout).toMatch(/legacy-export\s+off\s+DISABLED/);
    const json = await kit.cli(['entitlements', globexKey, '--json']);
    expect(JSON.parse(json.stdout).properties.length).toBe(4);
  });

  it('explains a property: the override decides, the plan value is overridden', async () => {
    const out = await kit.cli(['explain', '--license', globexKey, '--property', 'api_calls']);
    expect(out.code, out.stderr).toBe(0);
    const lines = out.stdout.split('\n');
    expect(lines[0]).toBe('api_calls = 120000 (account_override)');
    expect(out.stdout).toMatch(/decided\s+Account override 120000 by seed decides until .*reason: Q4 launch campaign/);
    expect(out.stdout).toMatch(
      /shadowed\s+Plan value 50000 of plan Business Yearly is overridden by the account override/,
    );
    expect(out.stdout).toMatch(/usage\s+38250 of 120000 \(ok, hard limit\)/);
  });

  it('explains a flag: the per-customer toggle decides for the pilot license', async () => {
    const out = await kit.cli(['explain', '--license', trialKey, '--flag', 'ai-insights']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout.split('\n')[0]).toBe('ai-insights is ON (TARGETING_MATCH)');
    expect(out.stdout).toMatch(/decide\s+.*Pilot during the evaluation/);
    // Globex's Business license matches the rule (plan and sign-up date); its perpetual workstation plan does not.
    const rule = await kit.cli(['explain', '--license', globexKey, '--flag', 'ai-insights', '--json']);
    expect(JSON.parse(rule.stdout).explanation).toMatchObject({ enabled: true, reason: 'TARGETING_MATCH' });
    const other = await kit.cli(['explain', '--license', workstationKey, '--flag', 'ai-insights', '--json']);
    expect(JSON.parse(other.stdout).explanation).toMatchObject({ enabled: false, reason: 'DEFAULT' });
  });

  it('refuses a wrong command line with exit code 2 and unknown names with their error code', async () => {
    const both = await kit.cli(['explain', '--license', globexKey, '--flag', 'a', '--property', 'b']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/exactly one of --flag and --property/);
    const noProduct = await kit.cli(['explain', '--account', 'CRM-1001', '--flag', 'ai-insights']);
    expect(noProduct.code).toBe(2);
    const badContext = await kit.cli(['explain', '--license', globexKey, '--flag', 'x', '--context', 'novalue']);
    expect(badContext.code).toBe(2);
    const unknown = await kit.cli(['explain', '--license', globexKey, '--flag', 'no-such-flag']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/FLAG_NOT_FOUND/);
    const account = await kit.cli(['explain', '--account', 'CRM-1001', '--product', 'ACME', '--property', 'api_calls']);
    expect(account.code, account.stderr).toBe(0);
    expect(account.stdout).toMatch(/^api_calls = 120000 \(account_override\)/);
  });
});
