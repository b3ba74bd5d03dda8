import { Divider, Modal, Stack, Textarea, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/errors.ts';
import { FormActions } from '../../components/FormActions.tsx';
import { errorMessage, notifySuccess } from '../../components/notify.tsx';
import { ConstraintsEditor } from './ConstraintsEditor.tsx';
import { type ConstraintDraft, constraintDraft, toConstraint } from './flag-form.ts';
import { FLAG_ISSUES, type IssueMap, placeSegmentIssues } from './flag-issues.ts';
import { createSegment, updateSegment, useInvalidateFlags } from './flags-api.ts';
import type { Segment } from './flags-types.ts';
import { IssueList } from './IssueList.tsx';
import { ProductSelect } from './ProductSelect.tsx';

/** Create or edit a segment: product (on create), name, description and its conditions (all must pass). */
export function SegmentModal({
  opened,
  segment,
  productId,
  onClose,
}: {
  opened: boolean;
  /** null: a new segment. */
  segment: Segment | null;
  productId: string | null;
  onClose(): void;
}) {
  const { t } = useTranslation('flags');
  const invalidate = useInvalidateFlags();
  const [product, setProduct] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [constraints, setConstraints] = useState<ConstraintDraft[]>([]);
  const [issues, setIssues] = useState<IssueMap>(new Map());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!opened) return;
    setProduct(segment?.productId ?? productId);
    setName(segment?.name ?? '');
    setDescription(segment?.description ?? '');
    setConstraints(segment ? segment.constraints.map((c) => constraintDraft(c)) : [constraintDraft()]);
    setIssues(new Map());
    setErrors({});
  }, [opened, segment, productId]);

  const submit = async () => {
    const problems: Record<string, string> = {};
    if (!product) problems.productId = t('new.productRequired');
    if (!name.trim()) problems.name = t('segments.nameRequired');
    setErrors(problems);
    setIssues(new Map());
    if (Object.keys(problems).length > 0 || !product) return;
    const input = { name: name.trim(), description: description.trim(), constraints: constraints.map(toConstraint) };
    setBusy(true);
    try {
      const saved = segment ? await updateSegment(segment.id, input) : await createSegment(product, input);
      notifySuccess(t('toast.segmentSaved', { name: saved.name }), 'toast-segment-saved');
      onClose();
    } catch (err) {
      const details = isApiError(err) && err.status >= 400 && err.status < 500 ? err.details : [];
      const placed = placeSegmentIssues(constraints, details);
      const general = placed.get(FLAG_ISSUES) ?? [];
      const fields: Record<string, string> = {};
      for (const issue of general) if (issue.field === 'name') fields.name = issue.message;
      setIssues(placed);
      setErrors(details.length > 0 ? fields : { general: errorMessage(err) });
    } finally {
      setBusy(false);
      invalidate();
    }
  };

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={segment ? t('segments.editTitle', { name: segment.name }) : t('segments.newTitle')}
      size="xl"
      centered
    >
      <form
        noValidate
        data-testid="segment-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack gap="md">
          {!segment && (
            <ProductSelect
              label={t('fields.product')}
              withAsterisk
              value={product}
              onChange={setProduct}
              error={errors.productId}
              data-testid="segment-product"
            />
          )}
          <TextInput
            label={t('segments.name')}
            withAsterisk
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={errors.name}
            maxLength={200}
            data-autofocus
            data-testid="segment-name"
          />
          <Textarea
            label={t('fields.description')}
            autosize
            minRows={2}
            maxLength={2000}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
          />
          <Divider label={t('segments.conditions')} labelPosition="left" />
          <ConstraintsEditor constraints={constraints} issues={issues} onChange={setConstraints} />
          <IssueList
            issues={(issues.get(FLAG_ISSUES) ?? []).filter((i) => i.field !== 'name')}
            testId="segment-issue"
          />
          <FormActions
            error={errors.general}
            onCancel={onClose}
            submitLabel={t('segments.save')}
            busy={busy}
            submitTestId="segment-save"
          />
        </Stack>
      </form>
    </Modal>
  );
}
