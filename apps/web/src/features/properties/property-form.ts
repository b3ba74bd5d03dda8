import { ApiError } from '../../api/errors.ts';
import type { Enforcement, PropertyDef, PropertyType, ResetPeriod } from '../entitlements/entitlements-types.ts';
import { type DraftError, draftOf, type ValueDraft, valueOfDraft } from '../entitlements/values.ts';

/**
 * The property form's logic, free of React (unit-tested): its state, the body it sends (only the fields of the
 * chosen type; on edit only what changed), and the server's answer as messages on the form's fields.
 */

export const PROPERTY_TYPES: PropertyType[] = ['boolean', 'number', 'enum', 'json'];
export const RESET_PERIODS: ResetPeriod[] = ['none', 'daily', 'monthly', 'yearly'];

export interface PropertyForm {
  key: string;
  name: string;
  description: string;
  type: PropertyType;
  /** The default value, as the value input holds it. */
  defaultDraft: ValueDraft;
  unit: string;
  enforcement: Enforcement;
  /** Percent of the limit, or '' for none. */
  warningThreshold: string | number;
  metered: boolean;
  resetPeriod: ResetPeriod;
  options: string[];
  multiple: boolean;
}

/** What POST /v1/properties takes (without productId); PATCH takes a part of it. */
export interface PropertyBody {
  key: string;
  name: string;
  description: string;
  type: PropertyType;
  defaultValue?: unknown;
  unit?: string;
  enforcement?: Enforcement;
  warningThresholdPercent?: number | null;
  metered?: boolean;
  resetPeriod?: ResetPeriod;
  options?: string[];
  multiple?: boolean;
}

/** The rules the default value input follows while the property is being written. */
export const rulesOf = (f: Pick<PropertyForm, 'type' | 'options' | 'multiple' | 'metered' | 'unit'>) => ({
  type: f.type,
  options: f.type === 'enum' ? f.options : [],
  multiple: f.type === 'enum' && f.multiple,
  metered: f.type === 'number' && f.metered,
  unit: f.type === 'number' ? f.unit : '',
});

/** The server's default when none is given: false, 0, the first option (or none with multiple), null. */
function typeDefault(type: PropertyType, options: string[], multiple: boolean): unknown {
  switch (type) {
    case 'boolean':
      return false;
    case 'number':
      return 0;
    case 'enum':
      return multiple ? [] : (options[0] ?? null);
    case 'json':
      return null;
  }
}

export function emptyForm(): PropertyForm {
  return {
    key: '',
    name: '',
    description: '',
    type: 'boolean',
    defaultDraft: draftOf({ type: 'boolean', options: [], multiple: false }, false),
    unit: '',
    enforcement: 'hard',
    warningThreshold: '',
    metered: false,
    resetPeriod: 'none',
    options: [],
    multiple: false,
  };
}

/** The form of a saved property (edit). */
export function formOf(def: PropertyDef): PropertyForm {
  return {
    key: def.key,
    name: def.name,
    description: def.description,
    type: def.type,
    defaultDraft: draftOf(def, def.defaultValue),
    unit: def.unit,
    enforcement: def.enforcement ?? 'hard',
    warningThreshold: def.warningThresholdPercent ?? '',
    metered: def.metered,
    resetPeriod: def.resetPeriod,
    options: def.options,
    multiple: def.multiple,
  };
}

/** Another type: the default starts again from that type's default. */
export function withType(form: PropertyForm, type: PropertyType): PropertyForm {
  const next = { ...form, type };
  return { ...next, defaultDraft: draftOf(rulesOf(next), typeDefault(type, form.options, form.multiple)) };
}

/** Other options: a default that is no longer an option falls back to the first one (or drops out of the list). */
export function withOptions(form: PropertyForm, options: string[]): PropertyForm {
  const d = form.defaultDraft;
  const choice = d.choice !== null && options.includes(d.choice) ? d.choice : (options[0] ?? null);
  return { ...form, options, defaultDraft: { ...d, choice, choices: d.choices.filter((c) => options.includes(c)) } };
}

export type BodyResult = { ok: true; body: PropertyBody } | { ok: false; error: DraftError };

/** The body of the form: the fields of its type only (the server refuses the others). */
export function bodyOf(form: PropertyForm): BodyResult {
  const body: PropertyBody = {
    key: form.key.trim(),
    name: form.name.trim(),
    description: form.description.trim(),
    type: form.type,
  };
  // An enum without options: the server says what is missing (PROPERTY_OPTIONS_REQUIRED at the options).
  if (!(form.type === 'enum' && form.options.length === 0)) {
    const parsed = valueOfDraft(rulesOf(form), form.defaultDraft);
    if (!parsed.ok) return parsed;
    body.defaultValue = parsed.value;
  }
  if (form.type === 'number') {
    const threshold = typeof form.warningThreshold === 'string' ? form.warningThreshold.trim() : form.warningThreshold;
    Object.assign(body, {
      unit: form.unit.trim(),
      enforcement: form.enforcement,
      warningThresholdPercent: threshold === '' ? null : Number(threshold),
      metered: form.metered,
      resetPeriod: form.metered ? form.resetPeriod : 'none',
    });
  }
  if (form.type === 'enum') Object.assign(body, { options: form.options, multiple: form.multiple });
  return { ok: true, body };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The PATCH of an edit: only the fields that differ from the saved property (empty: nothing changed). */
export function patchOf(current: PropertyDef, body: PropertyBody): Partial<PropertyBody> {
  const saved: Record<string, unknown> = {
    key: current.key,
    name: current.name,
    description: current.description,
    type: current.type,
    defaultValue: current.defaultValue,
    unit: current.unit,
    enforcement: current.enforcement,
    warningThresholdPercent: current.warningThresholdPercent,
    metered: current.metered,
    resetPeriod: current.resetPeriod,
    options: current.options,
    multiple: current.multiple,
  };
  return Object.fromEntries(Object.entries(body).filter(([k, v]) => !same(saved[k], v))) as Partial<PropertyBody>;
}

export type FormField =
  | 'key'
  | 'name'
  | 'description'
  | 'type'
  | 'defaultValue'
  | 'unit'
  | 'enforcement'
  | 'warningThresholdPercent'
  | 'metered'
  | 'resetPeriod'
  | 'options'
  | 'multiple'
  | 'general';
export type FormErrors = Partial<Record<FormField, string>>;

const FIELDS = new Set<string>([
  'key',
  'name',
  'description',
  'type',
  'defaultValue',
  'unit',
  'enforcement',
  'warningThresholdPercent',
  'metered',
  'resetPeriod',
  'options',
  'multiple',
]);

/**
 * The server's answer on the form's fields (`t` translates keys of the `properties` namespace): its field details
 * (`/body/defaultValue/1` → the default value), rule errors without details at the field they are about, and what
 * belongs to no field as one general message (`fallback`: the toast's wording of the error). The key's pattern and the threshold's range read as plain words.
 */
export function formErrorsOf(err: unknown, t: (key: string) => string, fallback: string): FormErrors {
  if (!(err instanceof ApiError)) return { general: fallback };
  if (err.code === 'PROPERTY_KEY_TAKEN') return { key: t('form.errors.keyTaken') };
  // The UI keeps the type; changing `multiple` changes the value shape just the same.
  if (err.code === 'PROPERTY_TYPE_IMMUTABLE') return { multiple: err.message };
  // It names the options and where they are used: more than the detail's "must keep …".
  if (err.code === 'PROPERTY_OPTIONS_IN_USE') return { options: err.message };
  const out: FormErrors = {};
  for (const [path, message] of Object.entries(err.status >= 400 && err.status < 500 ? err.fieldErrors() : {})) {
    const field = path.split('.')[0] ?? '';
    if (!FIELDS.has(field)) continue;
    const f = field as FormField;
    if (err.code === 'VALIDATION_FAILED' && f === 'key') out.key ??= t('form.errors.keyPattern');
    else if (err.code === 'VALIDATION_FAILED' && f === 'warningThresholdPercent') {
      out.warningThresholdPercent ??= t('form.errors.threshold');
    } else out[f] ??= message;
  }
  if (Object.keys(out).length > 0) return out;
  return { general: fallback };
}
