import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LICENSE_STATUSES as SDK_STATUSES } from '@keyward/sdk';
import { describe, expect, it } from 'vitest';
import { DOC_PATH } from '../scripts/test-vectors.ts';
import { memoryIo } from '../src/cli/io.ts';
import { run } from '../src/cli/main.ts';
import { PBKDF2_ITERATIONS } from '../src/modules/license-files/license-file.format.ts';
import { DEFAULT_TTL_SECONDS, MAX_TTL_SECONDS, MIN_TTL_SECONDS } from '../src/modules/license-files/license-payload.ts';
import { MIN_IMPORTED_KEY_LENGTH_TO_ENCRYPT } from '../src/modules/license-files/offline-policy.ts';
import { LICENSE_STATUSES } from '../src/modules/licenses/license-status.ts';
import { DEFAULT_MAX_OFFLINE_SECONDS } from '../src/modules/plans/plans.schemas.ts';

/*
 * docs/license-files.md says what a verifier needs to know that the format alone does not show (issue #10): every
 * license.status and what a verifier does with it, how the key is canonicalised for decryption, how a file says it is
 * machine-bound, the clock-rollback check, the limits, what a KW1. key's expiry means offline, and how keys are
 * rotated. These checks tie the document to the code's own constants, so neither can change alone.
 */

const doc = readFileSync(DOC_PATH, 'utf8');
const spec = doc.slice(0, doc.indexOf('\n## Test vectors\n'));
const section = (heading: string) => {
  const start = spec.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`docs/license-files.md has no "${heading}"`);
  const rest = spec.slice(start + heading.length + 2);
  const next = rest.search(/\n#{2,3} /);
  return next < 0 ? rest : rest.slice(0, next);
};

describe('docs/license-files.md states what verifiers rely on', () => {
  it('lists every license.status in a table, with what a verifier does, and the SDK knows the same list', () => {
    const table = section('### License status');
    const rows = [...table.matchAll(/^\| `([a-z_]+)` \| ([^|]+) \| ([^|]+) \|$/gm)].map((m) => [m[1], m[3]!.trim()]);
    expect(rows.map(([status]) => status)).toEqual(LICENSE_STATUSES);
    expect(Object.fromEntries(rows)).toMatchObject({ suspended: 'refuses', revoked: 'refuses' });
    expect([...SDK_STATUSES]).toEqual(LICENSE_STATUSES);
    expect(table).toContain('Any other value → reject the file');
  });

  it('says how the key is canonicalised for decryption, KW1. and imported keys included', () => {
    const files = section('## License files (offline)');
    expect(files).toContain('**The license key** in the secret is the key exactly as issued');
    expect(files).toContain('`KW1.` signed keys and keys imported from other systems — is used exactly as trimmed');
    expect(files).toContain('`I` and `L` read as `1` and `O` as `0`');
  });

  it('marks machine-bound files in the signed envelope, and says how a verifier reads it', () => {
    const files = section('## License files (offline)');
    expect(files).toContain('`keyward-license/2/` + alg + `/` + kid + `/` + bind + `/` + enc');
    expect(files).toContain('A verifier knows a file is\n  machine-bound from the envelope');
  });

  it('describes the clock-rollback check against meta.issuedAt', () => {
    expect(section('### Verifying, step by step')).toMatch(
      /\*\*Clock rollback\*\*: your clock must not be earlier than `meta\.issuedAt`/,
    );
  });

  it('gives the TTL limits and the offline limits with the values the code uses', () => {
    const limits = section('### Limits');
    const days = (s: number) => `${s / 86_400} days`;
    expect(limits).toContain(`${MIN_TTL_SECONDS} s (1 hour) to ${MAX_TTL_SECONDS} s (10 years)`);
    expect(limits).toContain(`default ${days(DEFAULT_TTL_SECONDS)}`);
    expect(limits).toContain(`default ${DEFAULT_MAX_OFFLINE_SECONDS} = ${days(DEFAULT_MAX_OFFLINE_SECONDS)}`);
    for (const code of ['OFFLINE_PERIOD_EXCEEDED', 'TOO_MANY_UNBOUND_FILES', 'KEY_TOO_SHORT_TO_ENCRYPT']) {
      expect(limits).toContain(code);
    }
    expect(limits).toContain(`keys of at least ${MIN_IMPORTED_KEY_LENGTH_TO_ENCRYPT} characters`);
    expect(limits).toContain(`PBKDF2 with ${PBKDF2_ITERATIONS.toLocaleString('en')} iterations`);
  });

  it("says what a KW1. key's expiry means offline: no grace, no strategy", () => {
    const keys = section('## Signed license keys');
    expect(keys).toContain('**Expiry offline**');
    expect(keys).toContain("without the plan's grace\n  days and without its expiration strategy");
  });

  it('documents both ways to rotate, and that the CLI refuses while an embedded server runs', () => {
    const publicKeys = section('## Public keys');
    expect(publicKeys).toContain('`POST /v1/signing-keys/rotate`');
    expect(publicKeys).toContain('`keyward keys rotate`');
    expect(publicKeys).toContain('it refuses (`DATABASE_IN_USE`) while a server runs on the same data directory');
  });

  it('…and the CLI does refuse: keyward keys rotate against a data directory a live server holds', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'keyward-rotate-'));
    try {
      // A server process holds the data directory (its pid file; our parent process stands in for it).
      writeFileSync(join(dataDir, 'keyward.pid'), String(process.ppid));
      const io = memoryIo();
      const env = { KEYWARD_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
      const code = await run(['keys', 'rotate'], { io, env });
      expect(code).not.toBe(0);
      expect(io.stderr()).toContain('DATABASE_IN_USE');
      expect(io.stderr()).toContain(`in use by process ${process.ppid}`);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
