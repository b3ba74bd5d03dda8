import { Box, Center, Paper, Stack } from '@mantine/core';
import { Outlet } from 'react-router';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { Logo } from './Logo.tsx';
import { PageSuspense } from './PageSuspense.tsx';

/** Sign-in, forgot and reset password: a centered card, no navigation. */
export function AuthLayout() {
  return (
    <Box mih="100vh" bg="gray.0" pos="relative">
      <Box pos="absolute" top={16} right={16}>
        <LanguageSwitch />
      </Box>
      <Center mih="100vh" p="md">
        <Stack w="100%" maw={400} gap="lg" align="stretch">
          <Center>
            <Logo size="lg" />
          </Center>
          <Paper withBorder shadow="sm" p="xl" radius="lg">
            <PageSuspense>
              <Outlet />
            </PageSuspense>
          </Paper>
        </Stack>
      </Center>
    </Box>
  );
}
