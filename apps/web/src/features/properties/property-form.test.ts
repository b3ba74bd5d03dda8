import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/errors.ts';
import type { PropertyDef } from '../entitlements/entitlements-types.ts';
import { bodyOf, emptyForm, formErrorsOf, formOf, patchOf, withOptions, withType } from './property-form.ts';

const apiCalls: PropertyDef = {
  id: 'p1',
  productId: 'prod',
  key: 'api_calls',
  name: 'API calls',
  description: 'Calls a month',
  type: 'number',
  defaultValue: 100,
  options: [],
  multiple: false,
  enforcement: 'hard',
  warningThresholdPercent: 80,
  metered: true,
  resetPeriod: 'monthly',
  unit: 'calls',
};

const t = (key: string) => `t:${key}`;

describe('bodyOf', () => {
  it('sends only the fields of the chosen type', () => {
    const form = { ...withType({ ...emptyForm(), key: ' sso ', name: ' SSO ' }, 'boolean'), unit: 'GB', metered: true };
    expect(bodyOf(form)).toEqual({
      ok: true,
      body: { key: 'sso', name: 'SSO', description: '', type: 'boolean', defaultValue: false },
    });
  });

  it('a number: its limit fields, an empty threshold as null, no reset period unless metered', () => {
    const base = withType({ ...emptyForm(), key: 'seats', name: 'Seats' }, 'number');
    const form = { ...base, defaultDraft: { ...base.defaultDraft, number: 25 }, enforcement: 'soft' as const };
    const result = bodyOf({ ...form, resetPeriod: 'monthly' });
    expect(result).toEqual({
      ok: true,
      body: {
        key: 'seats',
        name: 'Seats',
        description: '',
        type: 'number',
        defaultValue: 25,
        unit: '',
        enforcement: 'soft',
        warningThresholdPercent: null,
        metered: false,
        resetPeriod: 'none',
      },
    });
    const metered = bodyOf({ ...form, metered: true, resetPeriod: 'monthly', warningThreshold: '80' });
    expect(metered.ok && metered.body).toMatchObject({
      metered: true,
      resetPeriod: 'monthly',
      warningThresholdPercent: 80,
    });
  });

  it('passes an out-of-range threshold on: the server says what is wrong', () => {
    const form = withType({ ...emptyForm(), key: 'x', name: 'X' }, 'number');
    const result = bodyOf({ ...form, warningThreshold: 150 });
    expect(result.ok && result.body.warningThresholdPercent).toBe(150);
  });

  it('an unlimited number default is null; an empty one is refused before sending', () => {
    const form = withType({ ...emptyForm(), key: 'x', name: 'X' }, 'number');
    expect(bodyOf({ ...form, defaultDraft: { ...form.defaultDraft, unlimited: true } })).toMatchObject({
      ok: true,
      body: { defaultValue: null },
    });
    expect(bodyOf({ ...form, defaultDraft: { ...form.defaultDraft, number: '' } })).toEqual({
      ok: false,
      error: 'required',
    });
  });

  it('an enum: options and multiple; without options no default (the server names the missing options)', () => {
    const empty = withType({ ...emptyForm(), key: 'tier', name: 'Tier' }, 'enum');
    expect(bodyOf(empty)).toEqual({
      ok: true,
      body: { key: 'tier', name: 'Tier', description: '', type: 'enum', options: [], multiple: false },
    });
    const withOpts = withOptions(empty, ['gold', 'silver']);
    expect(withOpts.defaultDraft.choice).toBe('gold');
    expect(bodyOf(withOpts)).toMatchObject({ ok: true, body: { defaultValue: 'gold', options: ['gold', 'silver'] } });
  });

  it('a default that is no longer an option falls back to the first option', () => {
    const form = withOptions(withType({ ...emptyForm(), key: 'f', name: 'F' }, 'enum'), ['pdf', 'csv']);
    const picked = { ...form, defaultDraft: { ...form.defaultDraft, choice: 'csv', choices: ['pdf', 'csv'] } };
    const narrowed = withOptions(picked, ['pdf', 'xlsx']);
    expect(narrowed.defaultDraft.choice).toBe('pdf');
    expect(narrowed.defaultDraft.choices).toEqual(['pdf']);
  });

  it('json: the default is parsed; invalid JSON is refused before sending', () => {
    const form = withType({ ...emptyForm(), key: 'theme', name: 'Theme' }, 'json');
    expect(bodyOf({ ...form, defaultDraft: { ...form.defaultDraft, json: '{"color":"navy"}' } })).toMatchObject({
      ok: true,
      body: { defaultValue: { color: 'navy' } },
    });
    expect(bodyOf({ ...form, defaultDraft: { ...form.defaultDraft, json: '{' } })).toEqual({
      ok: false,
      error: 'json',
    });
  });
});

describe('patchOf', () => {
  it('an unchanged form sends nothing', () => {
    const built = bodyOf(formOf(apiCalls));
    expect(built.ok && patchOf(apiCalls, built.body)).toEqual({});
  });

  it('sends only what changed, including clearing the threshold', () => {
    const form = { ...formOf(apiCalls), name: 'API requests', warningThreshold: '' };
    const built = bodyOf(form);
    expect(built.ok && patchOf(apiCalls, built.body)).toEqual({ name: 'API requests', warningThresholdPercent: null });
  });

  it('a changed default and enforcement', () => {
    const form = formOf(apiCalls);
    const built = bodyOf({ ...form, enforcement: 'soft', defaultDraft: { ...form.defaultDraft, number: 500 } });
    expect(built.ok && patchOf(apiCalls, built.body)).toEqual({ enforcement: 'soft', defaultValue: 500 });
  });
});

describe('formErrorsOf', () => {
  const error = (status: number, code: string, message: string, details: { field: string; message: string }[] = []) =>
    new ApiError(status, code, message, details);

  it('the key pattern and the threshold range read as plain words', () => {
    const err = error(400, 'VALIDATION_FAILED', 'The request is not valid', [
      { field: '/body/key', message: 'must match pattern "^[a-z][a-z0-9_.-]{0,63}$"' },
      { field: '/body/warningThresholdPercent', message: 'must be <= 100' },
    ]);
    expect(formErrorsOf(err, t, 'fallback')).toEqual({
      key: 't:form.errors.keyPattern',
      warningThresholdPercent: 't:form.errors.threshold',
    });
  });

  it('rule errors land on their field: value paths on the default, taken keys, options in use', () => {
    const invalid = error(422, 'PROPERTY_VALUE_INVALID', 'The value does not fit', [
      { field: '/body/defaultValue/1', message: 'must be one of: pdf, csv' },
    ]);
    expect(formErrorsOf(invalid, t, 'fallback')).toEqual({ defaultValue: 'must be one of: pdf, csv' });
    expect(formErrorsOf(error(409, 'PROPERTY_KEY_TAKEN', 'taken'), t, 'fallback')).toEqual({
      key: 't:form.errors.keyTaken',
    });
    const inUse = error(409, 'PROPERTY_OPTIONS_IN_USE', 'Options still used cannot be removed: xlsx (by plan Pro)', [
      { field: '/body/options', message: 'must keep xlsx' },
    ]);
    expect(formErrorsOf(inUse, t, 'fallback')).toEqual({
      options: 'Options still used cannot be removed: xlsx (by plan Pro)',
    });
    expect(formErrorsOf(error(409, 'PROPERTY_TYPE_IMMUTABLE', 'used by 2 plan values'), t, 'fallback')).toEqual({
      multiple: 'used by 2 plan values',
    });
  });

  it('anything else is one general message', () => {
    expect(formErrorsOf(error(500, 'INTERNAL_ERROR', 'boom'), t, 'Something went wrong')).toEqual({
      general: 'Something went wrong',
    });
    expect(formErrorsOf(new Error('x'), t, 'Unexpected')).toEqual({ general: 'Unexpected' });
    const unknownField = error(400, 'VALIDATION_FAILED', 'not valid', [
      { field: '/body/extra', message: 'is not known' },
    ]);
    expect(formErrorsOf(unknownField, t, 'not valid')).toEqual({ general: 'not valid' });
  });
});
