import { Modal, SegmentedControl, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { Account, License } from '../../api/types.ts';
import { FormActions } from '../../components/FormActions.tsx';
import { errorMessage } from '../../components/notify.tsx';
import type { CustomerFlag, CustomerFlags } from '../entitlements/entitlements-types.ts';
import { ToggleModal, type ToggleRequest } from '../entitlements/ToggleModal.tsx';
import { AccountSelect, LicenseSelect } from '../licenses/AccountSelect.tsx';
import { useInvalidateFlags } from './flags-api.ts';

interface Chosen {
  request: ToggleRequest;
  targets: { license?: { id: string }; account: { id: string; name: string } };
}

/**
 * "Switch for a customer" from the flag's page: pick a license or an account, then the same reason form as on the
 * customer's Flags & entitlements tab (ToggleModal), with this customer's current switches.
 */
export function AddToggleModal({
  flag,
  opened,
  onClose,
}: {
  flag: { id: string; key: string; productId: string };
  opened: boolean;
  onClose(): void;
}) {
  const { t } = useTranslation('flags');
  const invalidate = useInvalidateFlags();
  const [who, setWho] = useState<'license' | 'account'>('license');
  const [enabled, setEnabled] = useState(true);
  const [licenseId, setLicenseId] = useState<string | null>(null);
  const [accountId, setAccountId] = useState<string | null>(null);
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!opened) return;
    setLicenseId(null);
    setAccountId(null);
    setEnabled(true);
    setError(null);
    setChosen(null);
  }, [opened]);

  const next = async () => {
    setBusy(true);
    setError(null);
    try {
      let flags: CustomerFlags;
      let targets: Chosen['targets'];
      if (who === 'license' && licenseId) {
        const license = await api.get<License>(`/v1/licenses/${licenseId}`);
        flags = await api.get<CustomerFlags>(`/v1/licenses/${licenseId}/flags`);
        targets = { license: { id: licenseId }, account: { id: license.account.id, name: license.account.name } };
      } else if (who === 'account' && accountId) {
        const account = await api.get<Account>(`/v1/accounts/${accountId}`);
        flags = await api.get<CustomerFlags>(`/v1/accounts/${accountId}/flags`, { productId: flag.productId });
        targets = { account: { id: accountId, name: account.name } };
      } else return;
      const mine: CustomerFlag | undefined = flags.flags.find((f) => f.id === flag.id);
      if (!mine) {
        setError(t('toggles.otherProduct'));
        return;
      }
      setChosen({ request: { flag: mine, enabled, scope: who }, targets });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  if (chosen) {
    return (
      <ToggleModal
        request={chosen.request}
        targets={chosen.targets}
        onClose={() => {
          invalidate();
          setChosen(null);
          onClose();
        }}
      />
    );
  }
  const ready = who === 'license' ? licenseId !== null : accountId !== null;
  return (
    <Modal opened={opened} onClose={onClose} title={t('toggles.addTitle', { key: flag.key })} centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) void next();
        }}
      >
        <Stack gap="md">
          <SegmentedControl
            fullWidth
            value={who}
            onChange={(v) => setWho(v as 'license' | 'account')}
            data={[
              { value: 'license', label: t('try.license') },
              { value: 'account', label: t('try.account') },
            ]}
            aria-label={t('toggles.who')}
          />
          {who === 'license' ? (
            <LicenseSelect
              productId={flag.productId}
              value={licenseId}
              onChange={setLicenseId}
              placeholder={t('try.licensePlaceholder')}
              aria-label={t('try.license')}
              data-testid="add-toggle-license"
            />
          ) : (
            <AccountSelect
              value={accountId}
              onChange={setAccountId}
              placeholder={t('try.accountPlaceholder')}
              aria-label={t('try.account')}
              data-testid="add-toggle-account"
            />
          )}
          <SegmentedControl
            value={enabled ? 'on' : 'off'}
            onChange={(v) => setEnabled(v === 'on')}
            data={[
              { value: 'on', label: t('toggles.turnOn') },
              { value: 'off', label: t('toggles.turnOff') },
            ]}
            aria-label={t('toggles.state')}
          />
          <Text size="sm" c="dimmed">
            {t('toggles.addHint')}
          </Text>
          <FormActions
            error={error}
            onCancel={onClose}
            submitLabel={t('toggles.next')}
            busy={busy}
            disabled={!ready}
            submitTestId="add-toggle-next"
          />
        </Stack>
      </form>
    </Modal>
  );
}
