import { describe, expect, it } from 'vitest';
import type { License } from '../../api/types.ts';
import { csvCell, licensesToCsv } from './csv.ts';

const license = (over: Partial<License> = {}): License => ({
  id: '00000000-0000-4000-8000-000000000001',
  key: 'KW-AAAA-BBBB',
  name: 'Main, production',
  product: { id: 'p', code: 'APP', name: 'App' },
  plan: { id: 'pl', name: 'Pro "annual"', expirationStrategy: 'restrict' },
  account: { id: 'a', name: 'Acme', crmId: null },
  licenseType: 'subscription',
  status: 'active',
  startsAt: '2026-01-01T00:00:00.000Z',
  endsAt: '2027-01-01T00:00:00.000Z',
  graceEndsAt: null,
  maintenanceEndsAt: null,
  maxMachines: 5,
  machineCount: 2,
  domains: [],
  entitlements: [],
  notes: '',
  suspended: false,
  revoked: false,
  lastValidatedAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

describe('csvCell', () => {
  it('quotes commas, quotes and line breaks', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('plain')).toBe('plain');
  });

  it('writes null as empty and numbers as they are', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(0)).toBe('0');
  });

  it('neutralises spreadsheet formulas', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('@cmd')).toBe("'@cmd");
  });
});

describe('licensesToCsv', () => {
  it('writes a header and one CRLF-terminated row per license', () => {
    const csv = licensesToCsv([license(), license({ key: 'KW-2', name: 'Trial', endsAt: null, maxMachines: null })]);
    const lines = csv.split('\r\n');
    expect(lines).toEqual([
      'key,name,account,product,plan,type,status,startsAt,endsAt,seatsUsed,seatsMax',
      'KW-AAAA-BBBB,"Main, production",Acme,App,"Pro ""annual""",subscription,active,2026-01-01T00:00:00.000Z,2027-01-01T00:00:00.000Z,2,5',
      'KW-2,Trial,Acme,App,"Pro ""annual""",subscription,active,2026-01-01T00:00:00.000Z,,2,',
      '',
    ]);
  });

  it('writes only the header for no licenses', () => {
    expect(licensesToCsv([])).toBe('key,name,account,product,plan,type,status,startsAt,endsAt,seatsUsed,seatsMax\r\n');
  });
});
