import { describe, expect, it } from 'vitest';
import { licenseFileName } from './browser.ts';

describe('licenseFileName', () => {
  it('is the key with .lic', () => {
    expect(licenseFileName('KW-ABCD-EFGH-1234')).toBe('KW-ABCD-EFGH-1234.lic');
    expect(licenseFileName('KW1.eyJhIjoxfQ.sig_-')).toBe('KW1.eyJhIjoxfQ.sig_-.lic');
  });

  it('replaces characters file systems refuse', () => {
    expect(licenseFileName('legacy/key: 01')).toBe('legacy_key_01.lic');
  });
});
