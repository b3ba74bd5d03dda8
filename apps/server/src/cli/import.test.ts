import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../platform/auth/actor.ts';
import { type CliKit, startCliKit } from './cli-test-kit.ts';

const ROWS = 10_000;
/** The bad rows (1-based data row numbers) and what is wrong with them. */
const BAD = { badDate: 17, unknownPlan: 1234, duplicateKey: 5000, unknownAccount: 7777 } as const;

let kit: CliKit;
let dir: string;
const ctx = systemContext('test');

function licensesCsv(): string {
  const lines = ['key,account_crm_id,plan,name,starts_at,ends_at,max_machines,domains,payment_status,order_reference'];
  for (let row = 1; row <= ROWS; row++) {
    let key = `LEGACY-${String(row).padStart(6, '0')}`;
    let account = `CRM-${(row % 3) + 1}`;
    let plan = 'ACME/Yearly';
    let ends = '2027-01-31';
    if (row === BAD.badDate) ends = '2026-02-30';
    if (row === BAD.unknownPlan) plan = 'ACME/Nope';
    if (row === BAD.duplicateKey) key = 'LEGACY-000010';
    if (row === BAD.unknownAccount) account = 'CRM-404';
    lines.push(
      `${key},${account},${plan},License ${row},2026-01-01,${ends},5,app${row}.example.com;x.example.com,paid,PO-${row}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const reportRows = (file: string) =>
  (parse(fs.readFileSync(file, 'utf8'), { columns: true }) as { row: string; column: string; message: string }[]).map(
    (r) => ({ row: Number(r.row), column: r.column }),
  );

async function count(table: 'licenses' | 'accounts' | 'audit_events', action?: string): Promise<number> {
  const db = kit.kw.database.db;
  const q = action
    ? sql<{ n: number }>`select count(*)::int as n from audit_events where action = ${action}`
    : sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`;
  return (await q.execute(db)).rows[0]!.n;
}

beforeAll(async () => {
  kit = await startCliKit();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kw-import-'));
  const { products, plans, accounts } = kit.kw.services;
  const acme = await products.create(ctx, { code: 'ACME', name: 'Acme' });
  await plans.create(ctx, { productId: acme.id, name: 'Yearly', licenseType: 'subscription', durationDays: 365 });
  for (const n of [1, 2, 3]) await accounts.create(ctx, { name: `Customer ${n}`, crmId: `CRM-${n}` });
  fs.writeFileSync(path.join(dir, 'licenses.csv'), licensesCsv());
});

afterAll(async () => {
  await kit?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('keyward import licenses (10,000 rows, 4 bad)', () => {
  const expected = [
    { row: BAD.badDate, column: 'ends_at' },
    { row: BAD.unknownPlan, column: 'plan' },
    { row: BAD.duplicateKey, column: 'key' },
    { row: BAD.unknownAccount, column: 'account_crm_id' },
  ];

  it('all-or-nothing by default: writes nothing, reports exactly the bad rows, exits 1', async () => {
    const report = path.join(dir, 'errors-strict.csv');
    const res = await kit.cli(['import', 'licenses', path.join(dir, 'licenses.csv'), '--report', report]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('error IMPORT_INVALID: 4 of 10000 rows are invalid; nothing was imported');
    expect(await count('licenses')).toBe(0);
    expect(reportRows(report)).toEqual(expected);
  });

  it('--skip-invalid writes the other rows, reports the bad ones, exits 0', async () => {
    const report = path.join(dir, 'errors-skip.csv');
    const started = Date.now();
    const res = await kit.cli([
      'import',
      'licenses',
      path.join(dir, 'licenses.csv'),
      '--skip-invalid',
      '--report',
      report,
    ]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`9996 imported, 4 skipped (see ${report})`);
    expect(reportRows(report)).toEqual(expected);
    expect(await count('licenses')).toBe(9996);
    expect(await count('audit_events', 'license.imported')).toBe(9996);
    // Not a benchmark: a generous bound that only catches row-at-a-time writing.
    expect(Date.now() - started).toBeLessThan(60_000);

    const one = await kit.cli(['licenses', 'show', 'LEGACY-000042', '--json']);
    const license = JSON.parse(one.stdout);
    expect(license).toMatchObject({
      key: 'LEGACY-000042',
      name: 'License 42',
      account: { crmId: 'CRM-1' },
      startsAt: '2026-01-01T00:00:00.000Z',
      endsAt: '2027-01-31T00:00:00.000Z',
      maxMachines: 5,
      domains: ['app42.example.com', 'x.example.com'],
      billing: { paymentStatus: 'paid', orderReference: 'PO-42' },
    });
  });

  it('export → import round trip keeps every field', async () => {
    const first = path.join(dir, 'export-1.csv');
    expect((await kit.cli(['export', 'licenses', '--out', first])).code).toBe(0);
    // Into an empty licenses table of the same catalogue: the export is a valid import file as is.
    await sql`delete from licenses`.execute(kit.kw.database.db);
    const res = await kit.cli(['import', 'licenses', first]);
    expect(res.stderr).toBe('');
    expect(res.stdout).toContain('9996 imported, 0 skipped');
    const second = path.join(dir, 'export-2.csv');
    expect((await kit.cli(['export', 'licenses', '--out', second])).code).toBe(0);
    const strip = (file: string) =>
      (parse(fs.readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[])
        .map(({ id: _id, created_at: _c, updated_at: _u, ...rest }) => rest)
        .sort((a, b) => (a.key! < b.key! ? -1 : 1));
    const before = strip(first);
    expect(before).toHaveLength(9996);
    expect(strip(second)).toEqual(before);
  });

  it('rows without a key on a signed-key plan get signed KW1 keys that carry their own license id', async () => {
    const { products, plans } = kit.kw.services;
    const product = await products.create(ctx, { code: 'SIGNED', name: 'Signed' });
    await plans.create(ctx, {
      productId: product.id,
      name: 'Offline',
      licenseType: 'subscription',
      durationDays: 30,
      keyScheme: 'ed25519-signed',
    });
    const file = path.join(dir, 'signed.csv');
    fs.writeFileSync(
      file,
      'account_crm_id,plan,name\nCRM-1,SIGNED/Offline,Signed one\nCRM-2,SIGNED/Offline,Signed two\n',
    );
    const res = await kit.cli(['import', 'licenses', file]);
    expect(res.code).toBe(0);
    const rows = await kit.kw.database.db
      .selectFrom('licenses')
      .select(['id', 'key'])
      .where('product_id', '=', product.id)
      .execute();
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.key).toMatch(/^KW1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
      const data = JSON.parse(Buffer.from(row.key.split('.')[2]!, 'base64url').toString('utf8'));
      expect(data).toMatchObject({ lid: row.id, prd: 'SIGNED' });
    }
  });

  it('refuses dates outside 0001–9999 and lone surrogates like the API does (issue 10, finding 4)', async () => {
    const file = path.join(dir, 'unstorable.csv');
    fs.writeFileSync(
      file,
      [
        'key,account_crm_id,plan,name,starts_at,ends_at,metadata,order_reference',
        'EDGE-000001,CRM-1,ACME/Yearly,Year zero,0000-01-01,2027-01-01,,',
        'EDGE-000002,CRM-1,ACME/Yearly,Surrogate,2026-01-01,2027-01-01,"{""note"":""\\ud800""}",',
        'EDGE-000003,CRM-1,ACME/Yearly,Ends after 9999,9999-12-01,,,',
        'EDGE-000004,CRM-1,ACME/Yearly,Fine at the edge,0001-01-01,9999-12-31,"{""e"":""\\ud83d\\ude00""}",PO-1',
      ].join('\n'),
    );
    const res = await kit.cli(['import', 'licenses', file]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('3 of 4 rows are invalid');
    expect(res.stderr).toMatch(/row 1 \(line 2\) starts_at: must be a date like/);
    expect(res.stderr).toMatch(/row 2 \(line 3\) metadata: must not contain a lone UTF-16 surrogate/);
    expect(res.stderr).toMatch(/row 3 \(line 4\) starts_at: .*9999-12-31/);
    expect(res.stderr).not.toMatch(/row 4/);
  });

  it('--help documents the columns', async () => {
    const res = await kit.cli(['import', '--help']);
    expect(res.code).toBe(0);
    for (const column of ['account_crm_id', 'plan_id', 'starts_at', 'ends_at', 'max_machines', 'payment_status']) {
      expect(res.stdout).toContain(column);
    }
    for (const column of ['crm_id', 'email_domains', 'contact_name', 'contact_email', 'notes']) {
      expect(res.stdout).toContain(column);
    }
    expect(res.stdout).toContain('license.imported');
  });
});

describe('keyward import accounts', () => {
  it('validates, imports and round-trips accounts', async () => {
    const file = path.join(dir, 'accounts.csv');
    fs.writeFileSync(
      file,
      [
        'name,crm_id,email_domains,contact_name,contact_email,notes',
        'Alpha GmbH,CRM-A,alpha.example;alpha.example.org,Ann Alpha,ann@alpha.example,first',
        'Beta Ltd,CRM-1,beta.example,,,',
        'Gamma Inc,CRM-A,gamma.example,,,',
        'Delta SA,CRM-D,not a domain,Dan,dan-at-delta,',
        'Epsilon,,,,,',
      ].join('\n'),
    );
    const strict = await kit.cli(['import', 'accounts', file]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('row 2 (line 3) crm_id: an account with this CRM id exists already');
    expect(strict.stderr).toContain('row 3 (line 4) crm_id: duplicate of row 1 in this file');
    expect(strict.stderr).toMatch(/row 4 \(line 5\) email_domains/);
    expect(strict.stderr).toMatch(/row 4 \(line 5\) contact_email/);
    expect(await count('accounts')).toBe(3);

    const res = await kit.cli(['import', 'accounts', file, '--skip-invalid']);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('2 imported, 3 skipped');
    const alpha = JSON.parse((await kit.cli(['accounts', 'show', 'CRM-A', '--json'])).stdout);
    expect(alpha).toMatchObject({
      name: 'Alpha GmbH',
      emailDomains: ['alpha.example', 'alpha.example.org'],
      contacts: [{ name: 'Ann Alpha', email: 'ann@alpha.example' }],
      notes: 'first',
    });

    const out = path.join(dir, 'accounts-export.csv');
    expect((await kit.cli(['export', 'accounts', '--out', out])).code).toBe(0);
    const exported = parse(fs.readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(exported.map((r) => r.name).sort()).toEqual(
      ['Alpha GmbH', 'Customer 1', 'Customer 2', 'Customer 3', 'Epsilon'].sort(),
    );
    // Importing the export again: every CRM id exists now, so those rows are refused; nothing is written.
    const again = await kit.cli(['import', 'accounts', out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('4 of 5 rows are invalid');
  });
});
