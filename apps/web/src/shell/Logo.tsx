import { Group, Text, ThemeIcon } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';

export function Logo({ size = 'md' }: { size?: 'md' | 'lg' }) {
  return (
    <Group gap={8} wrap="nowrap">
      <ThemeIcon size={size === 'lg' ? 36 : 28} radius="md" variant="filled">
        <IconKey size={size === 'lg' ? 20 : 16} stroke={2} />
      </ThemeIcon>
      <Text fw={700} fz={size === 'lg' ? 22 : 18} lh={1}>
        Keyward
      </Text>
    </Group>
  );
}
