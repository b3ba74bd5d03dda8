import { ActionIcon, Alert, Button, Card, Group, Modal, Skeleton, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconPencil, IconTrash, IconUsersGroup } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/errors.ts';
import { useCan } from '../../auth/auth-context.ts';
import { ListBody } from '../../components/ListBody.tsx';
import { errorMessage, notifySuccess } from '../../components/notify.tsx';
import { fromNow } from '../../i18n/format.ts';
import { FilterBar } from './FilterBar.tsx';
import { useSummaryText } from './FlagSummary.tsx';
import { conditionOf, keyedBy } from './flag-summary.ts';
import { deleteSegment, useInvalidateFlags, useSegments } from './flags-api.ts';
import type { Segment } from './flags-types.ts';
import { SegmentModal } from './SegmentModal.tsx';
import type { FlagFiltersState } from './use-flag-filters.ts';

/** Deleting a segment: refused while a flag strategy uses it (SEGMENT_IN_USE; the API has no force for it). */
function DeleteSegmentDialog({ segment, onClose }: { segment: Segment | null; onClose(): void }) {
  const { t } = useTranslation('flags');
  const invalidate = useInvalidateFlags();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ inUse: boolean; message: string } | null>(null);
  useEffect(() => {
    if (segment) setProblem(null);
  }, [segment]);
  const run = async () => {
    if (!segment) return;
    setBusy(true);
    try {
      await deleteSegment(segment.id);
      notifySuccess(t('toast.segmentDeleted', { name: segment.name }), 'toast-segment-deleted');
      onClose();
    } catch (err) {
      setProblem({ inUse: isApiError(err, 'SEGMENT_IN_USE'), message: errorMessage(err) });
    } finally {
      setBusy(false);
      invalidate();
    }
  };
  return (
    <Modal
      opened={segment !== null}
      onClose={onClose}
      title={t('segments.deleteTitle', { name: segment?.name ?? '' })}
      centered
    >
      <Text size="sm">{t('segments.deleteText')}</Text>
      {problem && (
        <Alert
          color="red"
          variant="light"
          mt="md"
          title={problem.inUse ? t('segments.inUseTitle') : undefined}
          data-testid="segment-delete-problem"
        >
          {problem.inUse && (
            <Text size="sm" mb={4}>
              {t('segments.inUse')}
            </Text>
          )}
          <Text size="sm">{problem.message}</Text>
        </Alert>
      )}
      <Group justify="flex-end" mt="lg">
        <Button variant="default" onClick={onClose}>
          {t('cancel')}
        </Button>
        {!problem?.inUse && (
          <Button color="red" loading={busy} onClick={() => void run()} data-testid="segment-delete-confirm">
            {t('segments.delete')}
          </Button>
        )}
      </Group>
    </Modal>
  );
}

/** The Segments tab: reusable condition sets of a product; everyone reads, admins create, edit and delete. */
export function SegmentsTab({
  filters,
  creating,
  onNew,
  onCloseNew,
}: {
  filters: FlagFiltersState;
  creating: boolean;
  onNew: (() => void) | null;
  onCloseNew(): void;
}) {
  const { t } = useTranslation('flags');
  const canDefine = useCan('flags.define');
  const text = useSummaryText();
  const segments = useSegments(filters.productId || undefined, filters.q || undefined);
  const [editing, setEditing] = useState<Segment | null>(null);
  const [deleting, setDeleting] = useState<Segment | null>(null);
  const rows = segments.data?.data ?? [];

  return (
    <>
      <FilterBar filters={filters} searchLabel={t('filters.searchSegments')} />
      <Card withBorder padding={0} radius="md">
        <ListBody
          pending={segments.isPending}
          error={segments.error}
          showError={segments.isError && !segments.data}
          onRetry={() => void segments.refetch()}
          empty={rows.length === 0}
          filtered={{ active: filters.active, clear: filters.clear }}
          skeleton={
            <Stack gap="sm" aria-busy="true">
              {[0, 1, 2].map((i) => (
                <Skeleton key={i} h={36} />
              ))}
            </Stack>
          }
          t={(key) => t(`segments.${key}`)}
          emptyIcon={<IconUsersGroup size={26} />}
          emptyAction={onNew ? <Button onClick={onNew}>{t('segments.new')}</Button> : undefined}
        >
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="sm" data-testid="segments-list">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('segments.name')}</Table.Th>
                  <Table.Th>{t('segments.conditions')}</Table.Th>
                  <Table.Th>{t('columns.updated')}</Table.Th>
                  {canDefine && <Table.Th />}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((s) => (
                  <Table.Tr key={s.id} data-testid="segment-row" data-name={s.name}>
                    <Table.Td maw={280}>
                      <Text size="sm" fw={600}>
                        {s.name}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {s.product.name}
                        {s.description ? ` · ${s.description}` : ''}
                      </Text>
                    </Table.Td>
                    <Table.Td maw={380}>
                      {s.constraints.length === 0 ? (
                        <Text size="sm" c="dimmed">
                          {t('segments.matchesAll')}
                        </Text>
                      ) : (
                        keyedBy(s.constraints.map(conditionOf), text.condition).map(({ key, item }) => (
                          <Text size="sm" key={key} style={{ overflowWrap: 'anywhere' }}>
                            {text.condition(item)}
                          </Text>
                        ))
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                        {fromNow(s.updatedAt)}
                      </Text>
                    </Table.Td>
                    {canDefine && (
                      <Table.Td>
                        <Group gap={4} justify="flex-end" wrap="nowrap">
                          <Tooltip label={t('segments.edit')}>
                            <ActionIcon
                              variant="subtle"
                              onClick={() => setEditing(s)}
                              aria-label={t('segments.editNamed', { name: s.name })}
                              data-testid="segment-edit"
                            >
                              <IconPencil size={16} />
                            </ActionIcon>
                          </Tooltip>
                          <Tooltip label={t('segments.delete')}>
                            <ActionIcon
                              variant="subtle"
                              color="red"
                              onClick={() => setDeleting(s)}
                              aria-label={t('segments.deleteNamed', { name: s.name })}
                              data-testid="segment-delete"
                            >
                              <IconTrash size={16} />
                            </ActionIcon>
                          </Tooltip>
                        </Group>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </ListBody>
      </Card>
      {canDefine && (
        <>
          <SegmentModal
            opened={creating || editing !== null}
            segment={editing}
            productId={filters.productId || null}
            onClose={() => {
              setEditing(null);
              onCloseNew();
            }}
          />
          <DeleteSegmentDialog segment={deleting} onClose={() => setDeleting(null)} />
        </>
      )}
    </>
  );
}
