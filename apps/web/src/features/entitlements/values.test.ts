import { describe, expect, it } from 'vitest';
import type { CustomerFlag, PropertyDef } from './entitlements-types.ts';
import {
  dateOf,
  describeValue,
  draftOf,
  endOfDay,
  flagWhy,
  parseStepSubject,
  toggleChoice,
  toggleStepEffect,
  usagePercent,
  valueOfDraft,
} from './values.ts';

const fmt = { number: (n: number) => new Intl.NumberFormat('en').format(n) };

const def = (p: Partial<PropertyDef>): PropertyDef => ({
  id: 'p1',
  productId: 'prod',
  key: 'k',
  name: 'K',
  description: '',
  type: 'number',
  defaultValue: null,
  options: [],
  multiple: false,
  enforcement: null,
  warningThresholdPercent: null,
  metered: false,
  resetPeriod: 'none',
  unit: '',
  ...p,
});

describe('describeValue', () => {
  it('renders each type', () => {
    expect(describeValue('boolean', true, '', fmt)).toEqual({ kind: 'bool', on: true });
    expect(describeValue('number', 10000, 'calls', fmt)).toEqual({ kind: 'number', text: '10,000 calls' });
    expect(describeValue('number', 2.5, '', fmt)).toEqual({ kind: 'number', text: '2.5' });
    expect(describeValue('number', null, 'calls', fmt)).toEqual({ kind: 'unlimited' });
    expect(describeValue('enum', 'pdf', '', fmt)).toEqual({ kind: 'list', items: ['pdf'] });
    expect(describeValue('enum', ['pdf', 'csv'], '', fmt)).toEqual({ kind: 'list', items: ['pdf', 'csv'] });
    expect(describeValue('json', { color: 'navy' }, '', fmt)).toEqual({
      kind: 'json',
      preview: '{"color":"navy"}',
      full: '{\n  "color": "navy"\n}',
    });
  });

  it('shortens long JSON and reports values that do not fit the type', () => {
    const long = describeValue('json', { text: 'x'.repeat(100) }, '', fmt);
    expect(long.kind === 'json' && long.preview.length).toBe(48);
    expect(long.kind === 'json' && long.preview.endsWith('…')).toBe(true);
    expect(describeValue('boolean', 'yes', '', fmt)).toEqual({ kind: 'none' });
    expect(describeValue('number', '5', '', fmt)).toEqual({ kind: 'none' });
  });
});

describe('the override form', () => {
  it('prefills from a value', () => {
    expect(draftOf(def({ type: 'number' }), 300)).toMatchObject({ number: 300, unlimited: false });
    expect(draftOf(def({ type: 'number' }), null)).toMatchObject({ number: '', unlimited: true });
    expect(draftOf(def({ type: 'boolean' }), true).bool).toBe(true);
    expect(draftOf(def({ type: 'enum', options: ['a', 'b'] }), undefined).choice).toBe('a');
    expect(draftOf(def({ type: 'enum', options: ['a', 'b'], multiple: true }), ['b']).choices).toEqual(['b']);
    expect(draftOf(def({ type: 'json' }), [1]).json).toBe('[\n  1\n]');
  });

  it('parses numbers: required, not negative, whole when metered, unlimited', () => {
    const n = def({ type: 'number' });
    const d = draftOf(n, 0);
    expect(valueOfDraft(n, { ...d, number: '' })).toEqual({ ok: false, error: 'required' });
    expect(valueOfDraft(n, { ...d, number: '  ' })).toEqual({ ok: false, error: 'required' });
    expect(valueOfDraft(n, { ...d, number: 'abc' })).toEqual({ ok: false, error: 'number' });
    expect(valueOfDraft(n, { ...d, number: -1 })).toEqual({ ok: false, error: 'negative' });
    expect(valueOfDraft(n, { ...d, number: 2 ** 60 })).toEqual({ ok: false, error: 'tooLarge' });
    expect(valueOfDraft(n, { ...d, number: '2.5' })).toEqual({ ok: true, value: 2.5 });
    expect(valueOfDraft({ ...n, metered: true }, { ...d, number: 2.5 })).toEqual({ ok: false, error: 'whole' });
    expect(valueOfDraft({ ...n, metered: true }, { ...d, number: 300 })).toEqual({ ok: true, value: 300 });
    expect(valueOfDraft(n, { ...d, number: '', unlimited: true })).toEqual({ ok: true, value: null });
  });

  it('parses booleans, enums (in option order) and JSON', () => {
    const b = def({ type: 'boolean' });
    expect(valueOfDraft(b, { ...draftOf(b, true), bool: false })).toEqual({ ok: true, value: false });
    const one = def({ type: 'enum', options: ['a', 'b'] });
    expect(valueOfDraft(one, { ...draftOf(one, 'b') })).toEqual({ ok: true, value: 'b' });
    expect(valueOfDraft(one, { ...draftOf(one, 'b'), choice: 'z' })).toEqual({ ok: false, error: 'choice' });
    const many = def({ type: 'enum', options: ['a', 'b', 'c'], multiple: true });
    expect(valueOfDraft(many, { ...draftOf(many, []), choices: ['c', 'a'] })).toEqual({ ok: true, value: ['a', 'c'] });
    expect(valueOfDraft(many, { ...draftOf(many, []), choices: [] })).toEqual({ ok: true, value: [] });
    const j = def({ type: 'json' });
    expect(valueOfDraft(j, { ...draftOf(j, null), json: '{"a":1}' })).toEqual({ ok: true, value: { a: 1 } });
    expect(valueOfDraft(j, { ...draftOf(j, null), json: 'null' })).toEqual({ ok: true, value: null });
    expect(valueOfDraft(j, { ...draftOf(j, null), json: '{a:1}' })).toEqual({ ok: false, error: 'json' });
    expect(valueOfDraft(j, { ...draftOf(j, null), json: ' ' })).toEqual({ ok: false, error: 'required' });
  });

  it('turns a picked day into the end of that day and back', () => {
    const iso = endOfDay('2027-06-30');
    expect(new Date(iso).getDate()).toBe(30);
    expect(new Date(iso).getHours()).toBe(23);
    expect(dateOf(iso)).toBe('2027-06-30');
  });
});

describe('usagePercent', () => {
  it('measures against the limit, capped at 100; none without a limit', () => {
    expect(usagePercent({ used: 25, limit: 100 })).toBe(25);
    expect(usagePercent({ used: 150, limit: 100 })).toBe(100);
    expect(usagePercent({ used: 0, limit: 0 })).toBe(0);
    expect(usagePercent({ used: 1, limit: 0 })).toBe(100);
    expect(usagePercent({ used: 5, limit: null })).toBeNull();
  });
});

const toggle = (enabled: boolean, reason = 'beta customer') => ({
  enabled,
  reason,
  authorName: 'Ann',
  authorId: null,
  updatedAt: '2026-01-01T00:00:00.000Z',
});
const flag = (p: Partial<CustomerFlag>): CustomerFlag => ({
  id: 'f',
  key: 'new-editor',
  description: '',
  type: 'release',
  enabled: true,
  version: 1,
  toggle: { state: 'none', scope: null, reason: null, authorName: null, updatedAt: null },
  licenseToggle: null,
  accountToggle: null,
  evaluated: {
    key: 'new-editor',
    enabled: false,
    reason: 'DEFAULT',
    variant: { name: 'disabled', enabled: false, featureEnabled: false },
  },
  ...p,
});

describe('flags: the switch and the why', () => {
  it('reads the switch at each scope', () => {
    const f = flag({ licenseToggle: toggle(false), accountToggle: toggle(true) });
    expect(toggleChoice(f, 'license')).toBe('off');
    expect(toggleChoice(f, 'account')).toBe('on');
    expect(toggleChoice(flag({}), 'license')).toBe('rules');
  });

  it('explains in engine order: kill switch, dependency, license toggle, account toggle, rules', () => {
    const both = { licenseToggle: toggle(true), accountToggle: toggle(false) };
    expect(flagWhy(flag({ ...both, enabled: false }), 'license')).toEqual({ key: 'killSwitch' });
    expect(flagWhy(flag({ ...both }), 'license')).toEqual({
      key: 'thisLicense_on',
      author: 'Ann',
      reason: 'beta customer',
    });
    expect(flagWhy(flag({ ...both }), 'account')).toEqual({
      key: 'thisAccount_off',
      author: 'Ann',
      reason: 'beta customer',
    });
    expect(flagWhy(flag({ accountToggle: toggle(true, ' ') }), 'license')).toEqual({
      key: 'wholeAccount_on',
      author: 'Ann',
    });
    expect(flagWhy(flag({}), 'license')).toEqual({ key: 'rule.DEFAULT' });
    const parentOff = flag({ ...both, evaluated: { ...flag({}).evaluated, reason: 'PARENT_UNSATISFIED' } });
    expect(flagWhy(parentOff, 'license')).toEqual({ key: 'rule.PARENT_UNSATISFIED' });
  });

  it('parses the engine trace subjects', () => {
    expect(parseStepSubject('flag')).toEqual({ kind: 'flag' });
    expect(parseStepSubject('dependency:parent-flag')).toEqual({ kind: 'dependency', name: 'parent-flag' });
    expect(parseStepSubject('strategy[0] flexibleRollout "Beta"')).toEqual({
      kind: 'strategy',
      number: 1,
      name: 'flexibleRollout',
      title: 'Beta',
    });
    expect(parseStepSubject('strategy[2] default')).toMatchObject({ number: 3, name: 'default', title: null });
    expect(parseStepSubject('toggle license-on')).toEqual({ kind: 'toggle', who: 'license', list: 'strategy' });
    expect(parseStepSubject('toggle account off-list')).toEqual({ kind: 'toggle', who: 'account', list: 'off' });
    expect(parseStepSubject('constraint plan IN')).toEqual({
      kind: 'constraint',
      field: 'plan',
      operator: 'IN',
      segment: null,
    });
    expect(parseStepSubject('segment 3: constraint region IN')).toMatchObject({ segment: '3', field: 'region' });
    expect(parseStepSubject('segment 3')).toEqual({ kind: 'segment', id: '3' });
    expect(parseStepSubject('toggle license')).toEqual({ kind: 'customerToggle', who: 'license' });
    expect(parseStepSubject('toggles')).toEqual({ kind: 'customerToggle', who: null });
    expect(parseStepSubject('rollout')).toEqual({ kind: 'other', text: 'rollout' });
  });

  it('reads toggle steps: the on-list passes to turn on, the off-list fails to turn off', () => {
    const on = { kind: 'toggle', who: 'license', list: 'on' } as const;
    const off = { kind: 'toggle', who: 'license', list: 'off' } as const;
    const header = { kind: 'toggle', who: 'account', list: 'strategy' } as const;
    expect(toggleStepEffect(on, 'pass')).toBe('on');
    expect(toggleStepEffect(on, 'fail')).toBeNull();
    expect(toggleStepEffect(off, 'fail')).toBe('off');
    expect(toggleStepEffect(off, 'pass')).toBeNull();
    expect(toggleStepEffect(header, 'decide')).toBe('on');
    expect(toggleStepEffect(header, 'fail')).toBeNull();
  });
});
