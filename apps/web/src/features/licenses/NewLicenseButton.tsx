import { Button, type ButtonProps } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCan } from '../../auth/auth-context.ts';

/** "New license", for roles that may issue one; with an account it opens step 1 with that account chosen. */
export function NewLicenseButton({ accountId, ...props }: { accountId?: string | null } & ButtonProps) {
  const { t } = useTranslation('licenses');
  const canIssue = useCan('license.issue');
  if (!canIssue) return null;
  return (
    <Button
      component={Link}
      to={accountId ? `/licenses/new?accountId=${encodeURIComponent(accountId)}` : '/licenses/new'}
      leftSection={<IconPlus size={16} />}
      data-testid="new-license"
      {...props}
    >
      {t('new.button')}
    </Button>
  );
}
