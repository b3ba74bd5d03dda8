import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { notifyError, notifySuccess, notifyWithUndo } from '../../components/notify.tsx';
import {
  createOverride,
  deleteOverride,
  deleteToggle,
  type OverrideInput,
  putToggle,
  updateOverride,
  useInvalidateEntitlements,
} from './entitlements-api.ts';
import type { CustomerFlag, Override, PropertyDef, Target, ToggleBrief, ToggleScope } from './entitlements-types.ts';
import { useValueText } from './ValueDisplay.tsx';

const UNDO = 'entitlements-undo';

/** An override's fields as they would be sent again (an expiry that has passed is dropped). */
const restorable = (o: Override): OverrideInput => ({
  value: o.value,
  enforcement: o.enforcement,
  reason: o.reason,
  expiresAt: o.expiresAt && new Date(o.expiresAt) > new Date() ? o.expiresAt : null,
});

/**
 * Setting, changing and removing overrides, each with a toast that can undo it. `save` and `remove` throw on
 * failure so the modal can show the API's field errors; undo failures are toasts.
 */
export function useOverrideActions() {
  const { t } = useTranslation('entitlements');
  const invalidate = useInvalidateEntitlements();
  const valueText = useValueText();
  const [busy, setBusy] = useState(false);

  async function run<T>(work: () => Promise<T>): Promise<T> {
    setBusy(true);
    try {
      return await work();
    } finally {
      setBusy(false);
      invalidate();
    }
  }

  const undo = (work: () => Promise<unknown>) => () =>
    void work()
      .then(() => notifySuccess(t('toast.undone'), 'toast-undone'))
      .catch((err: unknown) => notifyError(t('toast.undoFailed'), err))
      .finally(invalidate);

  const targetText = (target: Target) =>
    target.kind === 'license' ? t('target.inlineLicense') : t('target.inlineAccount');

  async function save(def: PropertyDef, target: Target, existing: Override | undefined, input: OverrideInput) {
    const saved = await run(() =>
      existing ? updateOverride(existing.id, input) : createOverride(def.id, target, input),
    );
    const message = t('toast.overrideSaved', {
      name: def.name,
      value: valueText(def.type, saved.value, def.unit),
      target: targetText(target),
    });
    const previous = existing ? restorable(existing) : null;
    notifyWithUndo(
      message,
      undo(() => (previous ? updateOverride(saved.id, previous) : deleteOverride(saved.id))),
      { toast: 'toast-override-saved', undo: UNDO },
    );
    return saved;
  }

  async function remove(def: PropertyDef, target: Target, existing: Override) {
    await run(() => deleteOverride(existing.id));
    notifyWithUndo(
      t('toast.overrideRemoved', { name: def.name, target: targetText(target) }),
      undo(() => createOverride(def.id, target, restorable(existing))),
      { toast: 'toast-override-removed', undo: UNDO },
    );
  }

  return { save, remove, busy };
}

/** Per-customer flag toggles (on / off / follow the rules), each with a toast that can undo it. */
export function useToggleActions() {
  const { t } = useTranslation('entitlements');
  const invalidate = useInvalidateEntitlements();
  const [busy, setBusy] = useState<string | null>(null);

  const restore = (flagId: string, scope: ToggleScope, targetId: string, previous: ToggleBrief | null) =>
    previous
      ? putToggle(flagId, scope, targetId, previous.enabled, previous.reason)
      : deleteToggle(flagId, scope, targetId);

  const scopeText = (scope: ToggleScope) =>
    scope === 'license' ? t('target.inlineLicense') : t('target.inlineAccount');

  /** enabled null: remove the toggle (the flag's rules decide again). Throws on failure. */
  async function set(
    flag: CustomerFlag,
    scope: ToggleScope,
    targetId: string,
    enabled: boolean | null,
    reason: string,
  ): Promise<void> {
    const previous = scope === 'license' ? flag.licenseToggle : flag.accountToggle;
    setBusy(flag.id);
    try {
      if (enabled === null) await deleteToggle(flag.id, scope, targetId);
      else await putToggle(flag.id, scope, targetId, enabled, reason);
    } finally {
      setBusy(null);
      invalidate();
    }
    const key = enabled === null ? 'toast.toggleCleared' : enabled ? 'toast.toggleOn' : 'toast.toggleOff';
    notifyWithUndo(
      t(key, { flag: flag.key, target: scopeText(scope) }),
      () =>
        void restore(flag.id, scope, targetId, previous)
          .then(() => notifySuccess(t('toast.undone'), 'toast-undone'))
          .catch((err: unknown) => notifyError(t('toast.undoFailed'), err))
          .finally(invalidate),
      { toast: 'toast-toggle', undo: UNDO },
    );
  }

  return { set, busy };
}
