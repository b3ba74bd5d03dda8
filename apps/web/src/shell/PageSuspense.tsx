import { Center, Loader } from '@mantine/core';
import { type ReactNode, Suspense } from 'react';
import { useTranslation } from 'react-i18next';

/** Fallback while a lazily loaded page arrives. */
export function PageSuspense({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Suspense
      fallback={
        <Center py="xl">
          <Loader aria-label={t('loading')} />
        </Center>
      }
    >
      {children}
    </Suspense>
  );
}
