import { Button } from '@mantine/core';
import { IconMapSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyHint } from '../../components/EmptyHint.tsx';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <EmptyHint
      icon={<IconMapSearch size={28} />}
      title={t('notFound.title')}
      description={t('notFound.description')}
      action={
        <Button component={Link} to="/">
          {t('notFound.home')}
        </Button>
      }
    />
  );
}
