import { describe, expect, it } from 'vitest';
import { CROCKFORD, canonicalLicenseKey, checkLicenseKey, generateLicenseKey, keyEncodings } from './license-key.ts';

describe('license keys', () => {
  it('has the documented shape and at least 120 random bits', () => {
    const key = generateLicenseKey('ACME');
    expect(key).toMatch(/^ACME-([0-9A-HJKMNP-TV-Z]{6}-){4}[0-9A-HJKMNP-TV-Z]{6}$/);
    expect(29 * Math.log2(32)).toBeGreaterThanOrEqual(120);
    expect(checkLicenseKey(key)).toEqual({ kind: 'keyward', key });
  });

  it('has one canonical form for every spelling the lookup accepts (issue 10, finding 5)', () => {
    const key = 'ACME-01ABCD-EFGH01-JKMNPQ-RSTVWX-YZ0123';
    const canonical = 'ACME-01ABCD-EFGH01-JKMNPQ-RSTVWX-YZ0123';
    for (const spelling of [
      key,
      key.toLowerCase(),
      'ACME-OIABCD-EFGHOL-JKMNPQ-RSTVWX-YZOL23',
      'acme-olabcd-efghoi-jkmnpq-rstvwx-yzoi23',
      ` ${key.replace(/-/g, ' - ')}\n`,
      'AC ME-01AB CD-EFGH01-JKMNPQ-RSTVWX-YZ0123',
    ]) {
      expect(canonicalLicenseKey(spelling), spelling).toBe(canonical);
    }
    // The product code is read as typed: an O there stays an O.
    expect(canonicalLicenseKey('OLD-01ABCD-EFGH01-JKMNPQ-RSTVWX-YZ0123')).toMatch(/^OLD-/);
    // Whatever the check symbol says: a mistyped key's spellings share one form (and one budget) too.
    expect(canonicalLicenseKey('acme-01abcd-efgh01-jkmnpq-rstvwx-yzo12z')).toBe(
      'ACME-01ABCD-EFGH01-JKMNPQ-RSTVWX-YZ012Z',
    );
    // Keys without the Keyward shape (imported, signed KW1.) are exact: only surrounding whitespace goes.
    expect(canonicalLicenseKey('  Legacy-key-0001 ')).toBe('Legacy-key-0001');
    expect(canonicalLicenseKey('legacy key 0001')).toBe('legacy key 0001');
    expect(canonicalLicenseKey('KW1.k1.eyJsaWQiOiJ4In0.c2lnOl0')).toBe('KW1.k1.eyJsaWQiOiJ4In0.c2lnOl0');
    // checkLicenseKey looks up exactly this form.
    const real = generateLicenseKey('ACME');
    expect(checkLicenseKey(real.toLowerCase().replace(/0/g, 'o'))).toEqual({ kind: 'keyward', key: real });
    expect(checkLicenseKey(' Legacy-key-0001 ')).toEqual({ kind: 'verbatim', key: 'Legacy-key-0001' });
  });

  it('generates 1,000,000 keys without a collision', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1_000_000; i++) seen.add(generateLicenseKey('KW').slice(3));
    expect(seen.size).toBe(1_000_000);
  });

  it('catches every single-symbol typo in the key body', () => {
    for (let n = 0; n < 200; n++) {
      const key = generateLicenseKey('ACME');
      const chars = [...key];
      for (let i = 5; i < chars.length; i++) {
        if (chars[i] === '-') continue;
        for (const c of CROCKFORD) {
          if (c === chars[i]) continue;
          const typo = [...chars];
          typo[i] = c;
          expect(checkLicenseKey(typo.join('')).kind).toBe('malformed');
        }
      }
    }
  });

  it('catches swaps of adjacent different symbols (but 0<->Z, the one pair Luhn mod 32 cannot see)', () => {
    const key = generateLicenseKey('ACME');
    const body = key.slice(5).replace(/-/g, '');
    for (let i = 0; i < body.length - 1; i++) {
      const pair = body[i]! + body[i + 1]!;
      if (body[i] === body[i + 1] || pair === '0Z' || pair === 'Z0') continue;
      const swapped = body.slice(0, i) + body[i + 1] + body[i] + body.slice(i + 2);
      const typo = `ACME-${swapped.match(/.{6}/g)!.join('-')}`;
      expect(checkLicenseKey(typo).kind, typo).toBe('malformed');
    }
  });

  it('forgives case, spaces and Crockford look-alikes', () => {
    const key = generateLicenseKey('ACME');
    const sloppy = ` ${key.toLowerCase().replace(/1/g, 'l').replace(/0/g, 'o')} `;
    expect(checkLicenseKey(sloppy)).toEqual({ kind: 'keyward', key });
  });

  it('passes keys of other formats through verbatim', () => {
    expect(checkLicenseKey(' legacy-key-123 ')).toEqual({ kind: 'verbatim', key: 'legacy-key-123' });
  });

  it('encodes exact base64 and a Kubernetes secret that decodes back to the key', () => {
    const key = generateLicenseKey('ACME');
    const enc = keyEncodings(key);
    expect(enc.base64).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(enc.base64, 'base64').toString('utf8')).toBe(key);
    const line = enc.kubernetesSecret.split('\n').find((l) => l.includes('license-key:'))!;
    expect(Buffer.from(line.split(': ')[1]!, 'base64').toString('utf8')).toBe(key);
    expect(enc.kubectl).toContain(`--from-literal=license-key='${key}'`);
  });
});
