import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../platform/config.ts';

describe('staff sign-in configuration', () => {
  it('has safe defaults', () => {
    expect(loadConfig({}).staff).toEqual({
      adminEmail: 'admin@keyward.local',
      adminPassword: null,
      publicUrl: null,
      signInPerIp: 30,
      signInPerEmail: 10,
    });
  });

  it('reads KEYWARD_ADMIN_*, KEYWARD_PUBLIC_URL and the sign-in rate limits', () => {
    const staff = loadConfig({
      KEYWARD_ADMIN_EMAIL: ' Boss@Example.com ',
      KEYWARD_ADMIN_PASSWORD: 'twelve chars!',
      KEYWARD_PUBLIC_URL: 'https://licenses.example.com/keyward/',
      KEYWARD_SIGN_IN_RATE_LIMIT_PER_IP: '100',
      KEYWARD_SIGN_IN_RATE_LIMIT_PER_EMAIL: '5',
    }).staff;
    expect(staff).toEqual({
      adminEmail: 'boss@example.com',
      adminPassword: 'twelve chars!',
      publicUrl: 'https://licenses.example.com/keyward',
      signInPerIp: 100,
      signInPerEmail: 5,
    });
  });

  it('names the variable that is wrong', () => {
    const cases: Array<[string, string]> = [
      ['KEYWARD_ADMIN_EMAIL', 'not an email'],
      ['KEYWARD_ADMIN_PASSWORD', 'short'],
      ['KEYWARD_PUBLIC_URL', 'ftp://example.com'],
      ['KEYWARD_PUBLIC_URL', 'not a url'],
      ['KEYWARD_SIGN_IN_RATE_LIMIT_PER_IP', '0'],
      ['KEYWARD_SIGN_IN_RATE_LIMIT_PER_EMAIL', 'many'],
    ];
    for (const [variable, value] of cases) {
      let error: unknown;
      try {
        loadConfig({ [variable]: value });
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variable).toBe(variable);
    }
  });
});
