import { describe, expect, it } from 'vitest';
import { type DecisionInput, type DecisionLicense, decide, domainAllowed } from './validation.decide.ts';

const NOW = new Date('2026-01-15T12:00:00.000Z');
const days = (n: number) => new Date(NOW.getTime() + n * 86_400_000);
const PRODUCT_ID = '5d9f7a6e-1c1b-4c53-9a0e-6d0c8e1e2a01';

function license(over: Partial<DecisionLicense> = {}): DecisionLicense {
  return {
    revoked: false,
    suspended: false,
    startsAt: days(-10),
    endsAt: days(30),
    graceEndsAt: days(30),
    maintenanceEndsAt: null,
    expirationStrategy: 'restrict',
    productId: PRODUCT_ID,
    productCode: 'ACME',
    maxMachines: 3,
    requireFingerprint: false,
    requireDomain: false,
    heartbeatIntervalSeconds: null,
    domains: [],
    entitlements: ['SSO', 'EXPORT'],
    machineTotal: 0,
    machineAlive: 0,
    machine: null,
    ...over,
  };
}

const run = (l: DecisionLicense | null, scope: DecisionInput['scope'] = {}, malformedKey = false) =>
  decide({ malformedKey, license: l, scope, now: NOW });
const codeOf = (l: DecisionLicense | null, scope: DecisionInput['scope'] = {}) => {
  const d = run(l, scope);
  return `${d.code}:${d.valid}`;
};

/** An expired license (10 days ago), grace as given. */
const expired = (strategy: DecisionLicense['expirationStrategy'], graceDays = 0, over: Partial<DecisionLicense> = {}) =>
  license({ endsAt: days(-10), graceEndsAt: days(-10 + graceDays), expirationStrategy: strategy, ...over });

const machine = { created_at: days(-1), last_heartbeat_at: null };

describe('decide (validate-key decision)', () => {
  it('answers VALID with a human detail for a plain active license', () => {
    expect(run(license())).toEqual({ valid: true, code: 'VALID', detail: 'The license is valid' });
    expect(codeOf(license({ endsAt: null, graceEndsAt: null }))).toBe('VALID:true');
  });

  it('checks the key, existence, revocation, suspension and start date first, in that order', () => {
    expect(run(license(), {}, true).code).toBe('MALFORMED_KEY');
    expect(run(null, {}, true).code).toBe('MALFORMED_KEY');
    expect(codeOf(null)).toBe('NOT_FOUND:false');
    expect(codeOf(license({ revoked: true, suspended: true, startsAt: days(1) }))).toBe('REVOKED:false');
    expect(codeOf(license({ suspended: true, startsAt: days(1) }))).toBe('SUSPENDED:false');
    expect(codeOf(license({ startsAt: days(1) }))).toBe('NOT_YET_VALID:false');
    expect(codeOf(license({ startsAt: NOW }))).toBe('VALID:true');
    // Revocation beats expiry and scopes.
    expect(codeOf(expired('allow', 0, { revoked: true }), { product: 'OTHER' })).toBe('REVOKED:false');
  });

  it('applies each expiration strategy after the grace period', () => {
    expect(codeOf(expired('restrict'))).toBe('EXPIRED:false');
    expect(codeOf(expired('revoke'))).toBe('EXPIRED:false');
    expect(codeOf(expired('maintain'))).toBe('EXPIRED:true');
    expect(codeOf(expired('allow'))).toBe('EXPIRED:true');
    // maintain: builds released after the end date are refused, older ones keep working.
    expect(codeOf(expired('maintain'), { releasedAt: days(-5) })).toBe('EXPIRED:false');
    expect(codeOf(expired('maintain'), { releasedAt: days(-20) })).toBe('EXPIRED:true');
    expect(codeOf(expired('allow'), { releasedAt: days(-5) })).toBe('EXPIRED:true');
    // The end instant itself counts as expired.
    expect(codeOf(license({ endsAt: NOW, graceEndsAt: NOW }))).toBe('EXPIRED:false');
  });

  it('is valid with IN_GRACE_PERIOD inside the grace period, whatever the strategy', () => {
    for (const strategy of ['restrict', 'revoke', 'maintain', 'allow'] as const) {
      expect(codeOf(expired(strategy, 14))).toBe('IN_GRACE_PERIOD:true');
      expect(codeOf(expired(strategy, 10))).toBe(
        strategy === 'restrict' || strategy === 'revoke' ? 'EXPIRED:false' : 'EXPIRED:true',
      );
    }
    expect(run(expired('restrict', 14)).detail).toContain('grace period until 2026-01-19');
  });

  it('still checks scopes for licenses that are valid despite expiry; a failing scope wins', () => {
    expect(codeOf(expired('allow'), { product: 'OTHER' })).toBe('PRODUCT_SCOPE_MISMATCH:false');
    expect(codeOf(expired('restrict', 14), { entitlements: ['NOPE'] })).toBe('ENTITLEMENTS_MISSING:false');
    expect(codeOf(expired('maintain'), { product: 'ACME' })).toBe('EXPIRED:true');
  });

  it('matches the product scope by code (any case) or id', () => {
    expect(codeOf(license(), { product: 'ACME' })).toBe('VALID:true');
    expect(codeOf(license(), { product: 'acme' })).toBe('VALID:true');
    expect(codeOf(license(), { product: PRODUCT_ID.toUpperCase() })).toBe('VALID:true');
    expect(codeOf(license(), { product: 'WIDGET' })).toBe('PRODUCT_SCOPE_MISMATCH:false');
  });

  it('refuses releases newer than the end of maintenance', () => {
    const l = license({ maintenanceEndsAt: days(-1) });
    expect(codeOf(l, { releasedAt: days(-2) })).toBe('VALID:true');
    expect(codeOf(l, { releasedAt: days(-1) })).toBe('VALID:true');
    expect(codeOf(l, { releasedAt: days(0) })).toBe('MAINTENANCE_EXPIRED:false');
    expect(codeOf(l)).toBe('VALID:true');
    expect(codeOf(license(), { releasedAt: days(100) })).toBe('VALID:true');
    // product scope is checked before maintenance
    expect(codeOf(l, { product: 'X', releasedAt: days(0) })).toBe('PRODUCT_SCOPE_MISMATCH:false');
  });

  it('checks the fingerprint: required, no machine, mismatch, heartbeat, match', () => {
    expect(codeOf(license({ requireFingerprint: true }))).toBe('FINGERPRINT_SCOPE_REQUIRED:false');
    expect(codeOf(license(), { fingerprint: 'fp' })).toBe('NO_MACHINE:false');
    const withMachines = license({ machineTotal: 2, machineAlive: 2 });
    expect(codeOf(withMachines, { fingerprint: 'other' })).toBe('FINGERPRINT_SCOPE_MISMATCH:false');
    expect(codeOf({ ...withMachines, machine }, { fingerprint: 'fp' })).toBe('VALID:true');
    expect(codeOf({ ...withMachines, machine, requireFingerprint: true }, { fingerprint: 'fp' })).toBe('VALID:true');
  });

  it('answers HEARTBEAT_DEAD when the machine was last seen longer ago than the interval', () => {
    const hb = (lastSeenSecondsAgo: number, heartbeat: boolean) =>
      codeOf(
        license({
          heartbeatIntervalSeconds: 600,
          machineTotal: 1,
          machineAlive: 1,
          machine: {
            created_at: days(-1),
            last_heartbeat_at: heartbeat ? new Date(NOW.getTime() - lastSeenSecondsAgo * 1000) : null,
          },
        }),
        { fingerprint: 'fp' },
      );
    expect(hb(599, true)).toBe('VALID:true');
    expect(hb(600, true)).toBe('VALID:true');
    expect(hb(601, true)).toBe('HEARTBEAT_DEAD:false');
    // never sent a heartbeat: its activation time counts
    expect(hb(0, false)).toBe('HEARTBEAT_DEAD:false');
    const fresh = license({
      heartbeatIntervalSeconds: 600,
      machineTotal: 1,
      machineAlive: 1,
      machine: { created_at: new Date(NOW.getTime() - 60_000), last_heartbeat_at: null },
    });
    expect(codeOf(fresh, { fingerprint: 'fp' })).toBe('VALID:true');
    // without a heartbeat plan machines never die
    expect(codeOf(license({ machineTotal: 1, machineAlive: 1, machine }), { fingerprint: 'fp' })).toBe('VALID:true');
  });

  it('answers TOO_MANY_MACHINES when more machines hold seats than allowed', () => {
    expect(codeOf(license({ maxMachines: 2, machineTotal: 3, machineAlive: 3 }))).toBe('TOO_MANY_MACHINES:false');
    expect(codeOf(license({ maxMachines: 2, machineTotal: 2, machineAlive: 2 }))).toBe('VALID:true');
    expect(codeOf(license({ maxMachines: 2, machineTotal: 5, machineAlive: 2 }))).toBe('VALID:true');
    expect(codeOf(license({ maxMachines: null, machineTotal: 500, machineAlive: 500 }))).toBe('VALID:true');
    // a fingerprint problem is reported before the seat count
    expect(codeOf(license({ maxMachines: 1, machineTotal: 2, machineAlive: 2 }), { fingerprint: 'x' })).toBe(
      'FINGERPRINT_SCOPE_MISMATCH:false',
    );
  });

  it('checks the domain: required, exact or parent match, unrestricted without domains', () => {
    expect(codeOf(license({ requireDomain: true }))).toBe('DOMAIN_SCOPE_REQUIRED:false');
    const l = license({ domains: ['example.com', 'acme.io'] });
    expect(codeOf(l, { domain: 'example.com' })).toBe('VALID:true');
    expect(codeOf(l, { domain: 'app.eu.example.com' })).toBe('VALID:true');
    expect(codeOf(l, { domain: 'ACME.IO.' })).toBe('VALID:true');
    expect(codeOf(l, { domain: 'badexample.com' })).toBe('DOMAIN_SCOPE_MISMATCH:false');
    expect(codeOf(l, { domain: 'com' })).toBe('DOMAIN_SCOPE_MISMATCH:false');
    expect(codeOf(license(), { domain: 'anything.org' })).toBe('VALID:true');
    expect(codeOf(license({ requireDomain: true }), { domain: 'anything.org' })).toBe('VALID:true');
    expect(domainAllowed('a.b', [''])).toBe(false);
  });

  it('requires every requested entitlement', () => {
    expect(codeOf(license(), { entitlements: ['SSO'] })).toBe('VALID:true');
    expect(codeOf(license(), { entitlements: ['SSO', 'EXPORT', 'SSO'] })).toBe('VALID:true');
    expect(codeOf(license(), { entitlements: [] })).toBe('VALID:true');
    const d = run(license(), { entitlements: ['SSO', 'AUDIT', 'API'] });
    expect(d).toMatchObject({ valid: false, code: 'ENTITLEMENTS_MISSING' });
    expect(d.detail).toContain('AUDIT, API');
  });

  it('reports the first failing check when several fail', () => {
    const bad = license({
      requireFingerprint: true,
      requireDomain: true,
      maxMachines: 1,
      machineTotal: 3,
      machineAlive: 3,
      maintenanceEndsAt: days(-1),
    });
    const scope = { entitlements: ['NOPE'], releasedAt: days(0) };
    expect(codeOf(bad, { ...scope, product: 'X' })).toBe('PRODUCT_SCOPE_MISMATCH:false');
    expect(codeOf(bad, scope)).toBe('MAINTENANCE_EXPIRED:false');
    expect(codeOf(bad, { entitlements: ['NOPE'] })).toBe('FINGERPRINT_SCOPE_REQUIRED:false');
    expect(codeOf({ ...bad, machine }, { entitlements: ['NOPE'], fingerprint: 'fp' })).toBe('TOO_MANY_MACHINES:false');
    expect(codeOf({ ...bad, machine, maxMachines: 5 }, { entitlements: ['NOPE'], fingerprint: 'fp' })).toBe(
      'DOMAIN_SCOPE_REQUIRED:false',
    );
    expect(
      codeOf({ ...bad, machine, maxMachines: 5 }, { entitlements: ['NOPE'], fingerprint: 'fp', domain: 'x.org' }),
    ).toBe('ENTITLEMENTS_MISSING:false');
  });
});
