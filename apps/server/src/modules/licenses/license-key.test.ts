import { describe, expect, it } from 'vitest';
import { CROCKFORD, checkLicenseKey, generateLicenseKey, keyEncodings } from './license-key.ts';

describe('license keys', () => {
  it('has the documented shape and at least 120 random bits', () => {
    const key = generateLicenseKey('ACME');
    expect(key).toMatch(/^ACME-([0-9A-HJKMNP-TV-Z]{6}-){4}[0-9A-HJKMNP-TV-Z]{6}$/);
    expect(29 * Math.log2(32)).toBeGreaterThanOrEqual(120);
    expect(checkLicenseKey(key)).toEqual({ kind: 'keyward', key });
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
