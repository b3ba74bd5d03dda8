import { Badge, Switch } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../auth/auth-context.ts';
import { notifyError, notifySuccess, notifyWithUndo } from '../../components/notify.tsx';
import { updateFlag, useInvalidateFlags, useStoreFlag } from './flags-api.ts';
import type { Flag } from './flags-types.ts';

/** Flips a flag's kill switch at once, with a toast that can undo it. */
export function useKillSwitch() {
  const { t } = useTranslation('flags');
  const invalidate = useInvalidateFlags();
  const store = useStoreFlag();
  const [busy, setBusy] = useState<string | null>(null);

  async function set(flag: Pick<Flag, 'id' | 'key'>, enabled: boolean) {
    setBusy(flag.id);
    try {
      store(await updateFlag(flag.id, { enabled }));
    } catch (err) {
      notifyError(t('toast.switchFailed', { key: flag.key }), err);
      return;
    } finally {
      setBusy(null);
      invalidate();
    }
    notifyWithUndo(
      t(enabled ? 'toast.switchedOn' : 'toast.switchedOff', { key: flag.key }),
      () =>
        void updateFlag(flag.id, { enabled: !enabled })
          .then((restored) => {
            store(restored);
            notifySuccess(t('toast.undone'), 'toast-undone');
          })
          .catch((err: unknown) => notifyError(t('toast.undoFailed'), err))
          .finally(invalidate),
      { toast: 'toast-kill-switch', undo: 'flags-undo' },
    );
  }

  return { set, busy };
}

/** The flag's own switch: a switch for admins, a badge for everyone else. */
export function KillSwitch({ flag, size = 'md' }: { flag: Pick<Flag, 'id' | 'key' | 'enabled'>; size?: 'sm' | 'md' }) {
  const { t } = useTranslation('flags');
  const canDefine = useCan('flags.define');
  const killSwitch = useKillSwitch();
  if (!canDefine) {
    return (
      <Badge
        color={flag.enabled ? 'teal' : 'gray'}
        variant="light"
        data-testid="flag-enabled"
        data-enabled={String(flag.enabled)}
      >
        {flag.enabled ? t('state.on') : t('state.off')}
      </Badge>
    );
  }
  return (
    <Switch
      size={size}
      checked={flag.enabled}
      disabled={killSwitch.busy === flag.id}
      onChange={(e) => void killSwitch.set(flag, e.currentTarget.checked)}
      aria-label={t('killSwitch.label', { key: flag.key })}
      data-testid="kill-switch"
      data-enabled={String(flag.enabled)}
      label={size === 'md' ? (flag.enabled ? t('state.on') : t('state.off')) : undefined}
    />
  );
}
