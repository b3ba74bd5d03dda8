import { Badge, type BadgeProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { LicenseStatus } from '../api/types.ts';

/** One color per computed license status, everywhere in the app. */
export const STATUS_COLORS: Record<LicenseStatus, string> = {
  active: 'green',
  expiring: 'yellow',
  in_grace: 'orange',
  expired: 'red',
  suspended: 'gray',
  revoked: 'dark',
  pending: 'blue',
};

export function StatusBadge({ status, ...props }: { status: LicenseStatus } & Omit<BadgeProps, 'color'>) {
  const { t } = useTranslation();
  return (
    <Badge
      color={STATUS_COLORS[status]}
      variant={status === 'revoked' ? 'filled' : 'light'}
      miw="fit-content"
      style={{ flexShrink: 0 }}
      {...props}
    >
      {t(`status.${status}`)}
    </Badge>
  );
}
