import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind } from '../../../test/harness.ts';
import { printBanner } from '../../cli/banner.ts';
import { type CliKit, startCliKit } from '../../cli/cli-test-kit.ts';
import { memoryIo } from '../../cli/io.ts';

describe(`keyward users (${dbKind})`, () => {
  let kit: CliKit;
  beforeAll(async () => {
    kit = await startCliKit();
  });
  afterAll(async () => kit.close());

  it('creates users with a password or an invitation link, and lists them', async () => {
    const withPassword = await kit.cli([
      'users',
      'create',
      '--email',
      'Ops@Example.com',
      '--name',
      'Ops',
      '--role',
      'support',
      '--password',
      'twelve chars plus',
    ]);
    expect(withPassword).toMatchObject({ code: 0, stderr: '' });
    expect(withPassword.stdout).toMatch(/^Created support user ops@example\.com \([0-9a-f-]{36}\)\.\n$/);

    const invited = await kit.cli([
      'users',
      'create',
      '--email',
      'am@example.com',
      '--name',
      'AM',
      '--role',
      'account_manager',
    ]);
    expect(invited.code).toBe(0);
    expect(invited.stdout).toMatch(/\/reset-password\?token=[A-Za-z0-9_-]{43}\n$/);

    const short = await kit.cli([
      'users',
      'create',
      '--email',
      'x@example.com',
      '--name',
      'X',
      '--role',
      'admin',
      '--password',
      'short',
    ]);
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/VALIDATION_FAILED/);
    const badRole = await kit.cli(['users', 'create', '--email', 'y@example.com', '--name', 'Y', '--role', 'root']);
    expect(badRole.code).toBe(2);

    const list = await kit.cli(['users', 'list', '--json']);
    expect(list.code).toBe(0);
    const listed = JSON.parse(list.stdout).map((u: { email: string; role: string }) => `${u.email} ${u.role}`);
    expect(listed.sort()).toEqual(['am@example.com account_manager', 'ops@example.com support']);
    expect(list.stdout).not.toContain('argon2');
    const table = await kit.cli(['users', 'list']);
    expect(table.stdout).toContain('ops@example.com');
  });

  it('prints a generated first-admin password once in the start banner', () => {
    const io = memoryIo();
    const base = {
      host: '127.0.0.1',
      port: 3000,
      database: { kind: 'pglite', dataDir: null } as const,
      seeded: false,
      migrationsApplied: [],
    };
    printBanner(io, {
      ...base,
      adminToken: 'kw_abc',
      adminUser: { email: 'admin@keyward.local', password: 'generated-pw-123456' },
    });
    expect(io.stdout()).toMatch(/kw_abc[\s\S]*Dashboard admin[\s\S]*admin@keyward\.local[\s\S]*generated-pw-123456/);
    const quiet = memoryIo();
    printBanner(quiet, { ...base, adminToken: null, adminUser: null });
    expect(quiet.stdout()).not.toMatch(/Dashboard admin|Password/);
  });
});
