import { ActionIcon, Group, Menu, Tooltip } from '@mantine/core';
import {
  IconBan,
  IconCalendarCog,
  IconCalendarPlus,
  IconCopy,
  IconDots,
  IconDownload,
  IconFileCode,
  IconPlayerPause,
  IconPlayerPlay,
  IconRefresh,
  IconSteeringWheel,
  IconTrash,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { License } from '../../api/types.ts';
import { useCan } from '../../auth/auth-context.ts';
import type { LicenseActions } from './use-license-actions.tsx';

interface Props {
  license: License;
  actions: LicenseActions;
  /** Whether an action of this license is running (disables the buttons). */
  busy: boolean;
  /** Show +1 week and copy key as icon buttons next to the menu (the list); the detail page has its own buttons. */
  quick?: boolean;
}

/** A license's actions: the common ones as icon buttons, all of them in a menu; what the role may not do is hidden. */
export function LicenseActionsMenu({ license, actions, busy, quick = true }: Props) {
  const { t } = useTranslation('licenses');
  const canWeek = useCan('license.extendWeek');
  const canAct = useCan('license.act');
  const live = !license.revoked;
  const hasEnd = license.endsAt !== null;
  const name = license.name || license.key;

  return (
    <Group gap={2} wrap="nowrap" justify="flex-end" onClick={(e) => e.stopPropagation()}>
      {quick && canWeek && live && hasEnd && (
        <Tooltip label={t('actions.extendWeek')} withArrow>
          <ActionIcon
            variant="subtle"
            aria-label={`${t('actions.extendWeek')}: ${name}`}
            disabled={busy}
            onClick={() => void actions.extendWeek(license)}
            data-testid="action-extend-week"
          >
            <IconCalendarPlus size={18} />
          </ActionIcon>
        </Tooltip>
      )}
      {quick && (
        <Tooltip label={t('actions.copyKey')} withArrow>
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-label={`${t('actions.copyKey')}: ${name}`}
            onClick={() => void actions.copyKey(license)}
            data-testid="action-copy-key"
          >
            <IconCopy size={18} />
          </ActionIcon>
        </Tooltip>
      )}
      <Menu position="bottom-end" withinPortal shadow="md" width={230}>
        <Menu.Target>
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-label={t('actions.more', { name })}
            disabled={busy}
            data-testid="license-actions"
          >
            <IconDots size={18} />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          {(canWeek || canAct) && live && <Menu.Label>{t('actions.lifecycle')}</Menu.Label>}
          {canWeek && live && hasEnd && (
            <Menu.Item
              leftSection={<IconCalendarPlus size={16} />}
              onClick={() => void actions.extendWeek(license)}
              data-testid="menu-extend-week"
            >
              {t('actions.extendWeek')}
            </Menu.Item>
          )}
          {canAct && live && (
            <>
              {hasEnd && (
                <Menu.Item
                  leftSection={<IconRefresh size={16} />}
                  onClick={() => void actions.renew(license)}
                  data-testid="menu-renew"
                >
                  {t('actions.renew')}
                </Menu.Item>
              )}
              <Menu.Item
                leftSection={<IconCalendarCog size={16} />}
                onClick={() => actions.openExpiry(license)}
                data-testid="menu-set-expiry"
              >
                {t('actions.setExpiry')}
              </Menu.Item>
              {license.suspended ? (
                <Menu.Item
                  leftSection={<IconPlayerPlay size={16} />}
                  onClick={() => void actions.reinstate(license)}
                  data-testid="menu-reinstate"
                >
                  {t('actions.reinstate')}
                </Menu.Item>
              ) : (
                <Menu.Item
                  leftSection={<IconPlayerPause size={16} />}
                  onClick={() => void actions.suspend(license)}
                  data-testid="menu-suspend"
                >
                  {t('actions.suspend')}
                </Menu.Item>
              )}
              <Menu.Item
                color="red"
                leftSection={<IconBan size={16} />}
                onClick={() => actions.openRevoke(license)}
                data-testid="menu-revoke"
              >
                {t('actions.revoke')}
              </Menu.Item>
            </>
          )}
          <Menu.Label>{t('actions.keyGroup')}</Menu.Label>
          <Menu.Item
            leftSection={<IconCopy size={16} />}
            onClick={() => void actions.copyKey(license)}
            data-testid="menu-copy-key"
          >
            {t('actions.copyKey')}
          </Menu.Item>
          <Menu.Item
            leftSection={<IconFileCode size={16} />}
            onClick={() => void actions.copyBase64(license)}
            data-testid="menu-copy-base64"
          >
            {t('actions.copyBase64')}
          </Menu.Item>
          <Menu.Item
            leftSection={<IconSteeringWheel size={16} />}
            onClick={() => actions.openKubernetes(license)}
            data-testid="menu-k8s"
          >
            {t('actions.k8s')}
          </Menu.Item>
          {canAct && live && (
            <Menu.Item
              leftSection={<IconDownload size={16} />}
              onClick={() => void actions.downloadFile(license)}
              data-testid="menu-download"
            >
              {t('actions.download')}
            </Menu.Item>
          )}
          {canAct && (
            <>
              <Menu.Divider />
              <Menu.Item
                color="red"
                leftSection={<IconTrash size={16} />}
                onClick={() => actions.openDelete(license)}
                data-testid="menu-delete"
              >
                {t('actions.delete')}
              </Menu.Item>
            </>
          )}
        </Menu.Dropdown>
      </Menu>
    </Group>
  );
}
