import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.ts';
import { type TrialInput, trialState } from './trial.ts';

const trial: TrialInput = {
  licenseType: 'trial',
  startsAt: new Date('2026-01-01T00:00:00.000Z'),
  endsAt: new Date('2026-01-15T00:00:00.000Z'),
  graceDays: 3,
  expirationStrategy: 'restrict',
};

describe('trial state (pure, at the boundaries)', () => {
  it('moves through not_started, active, grace and ended with days left rounded up', () => {
    const clock = new ManualClock('2025-12-31T23:59:59.999Z');
    const at = () => trialState(trial, clock.now());
    expect(at()).toEqual({
      isTrial: true,
      startsAt: '2026-01-01T00:00:00.000Z',
      endsAt: '2026-01-15T00:00:00.000Z',
      daysLeft: 15,
      graceEndsAt: '2026-01-18T00:00:00.000Z',
      softExpiry: false,
      phase: 'not_started',
    });
    clock.set('2026-01-01T00:00:00.000Z');
    expect(at()).toMatchObject({ phase: 'active', daysLeft: 14 });
    clock.set('2026-01-14T00:00:00.001Z'); // 23:59:59.999 left → 1 day
    expect(at()).toMatchObject({ phase: 'active', daysLeft: 1 });
    clock.set('2026-01-14T00:00:00.000Z'); // exactly one day left
    expect(at()).toMatchObject({ phase: 'active', daysLeft: 1 });
    clock.set('2026-01-14T23:59:59.999Z');
    expect(at()).toMatchObject({ phase: 'active', daysLeft: 1 });
    clock.set('2026-01-15T00:00:00.000Z'); // ends exactly now
    expect(at()).toMatchObject({ phase: 'grace', daysLeft: 0 });
    clock.set('2026-01-17T23:59:59.999Z');
    expect(at()).toMatchObject({ phase: 'grace', daysLeft: 0 });
    clock.set('2026-01-18T00:00:00.000Z');
    expect(at()).toMatchObject({ phase: 'ended', daysLeft: 0 });
    clock.advanceDays(400);
    expect(at()).toMatchObject({ phase: 'ended', daysLeft: 0 });
  });

  it('without grace the license ends at endsAt; a license that never ends has no dates to count', () => {
    const noGrace = { ...trial, graceDays: 0 };
    expect(trialState(noGrace, new Date('2026-01-15T00:00:00.000Z'))).toMatchObject({
      phase: 'ended',
      graceEndsAt: '2026-01-15T00:00:00.000Z',
    });
    expect(trialState(noGrace, new Date('2026-01-14T23:59:59.999Z')).phase).toBe('active');
    const perpetual = { ...trial, licenseType: 'perpetual' as const, endsAt: null };
    expect(trialState(perpetual, new Date('2030-01-01T00:00:00.000Z'))).toEqual({
      isTrial: false,
      startsAt: '2026-01-01T00:00:00.000Z',
      endsAt: null,
      daysLeft: null,
      graceEndsAt: null,
      softExpiry: false,
      phase: 'active',
    });
  });

  it('soft expiry follows the expiration strategy (allow and maintain keep working)', () => {
    const now = new Date('2026-02-01T00:00:00.000Z');
    const soft = (expirationStrategy: TrialInput['expirationStrategy']) =>
      trialState({ ...trial, expirationStrategy }, now).softExpiry;
    expect([soft('allow'), soft('maintain'), soft('restrict'), soft('revoke')]).toEqual([true, true, false, false]);
  });
});
