import { type DefinitionIssue, type FeatureDefinition, validateConstraint, validateFeature } from '@keyward/sdk/flags';
import type { Db } from '../../platform/db/database.ts';
import { type FieldIssue, unprocessable } from '../../platform/errors.ts';
import * as repo from './flags.repository.ts';

/**
 * Checks a flag or segment definition before it is stored: the engine's validateFeature (operators, values,
 * patterns, weights, segment references) plus what needs the database — dependencies name flags of the same
 * product, one level deep like Unleash (a parent has no parents; a flag others depend on has none), so there are no
 * cycles. Problems are one 422 with a field path per problem (`/body/strategies/0/constraints/1/values/0`).
 */

const toField = (issue: DefinitionIssue): FieldIssue => ({
  field: issue.path === '/name' ? '/body/key' : `/body${issue.path}`,
  message: issue.message,
});

function invalid(code: string, what: string, issues: FieldIssue[]) {
  const first = issues[0];
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return unprocessable(code, `The ${what} is invalid: ${first?.field} ${first?.message}${more}`, issues);
}

export interface DefinitionCheck {
  productId: string;
  /** The flag being updated (null on create): its dependents decide whether it may have dependencies. */
  flagKey: string;
  isNew: boolean;
}

/**
 * Validates `def` for its product, locking the segments and parent flags it references for share (a concurrent
 * delete or a parent gaining dependencies waits for this transaction). Throws 422 FLAG_DEFINITION_INVALID.
 */
export async function assertValidFlag(trx: Db, def: FeatureDefinition, check: DefinitionCheck): Promise<void> {
  const segmentIds = await repo.segmentIdsOf(trx, check.productId);
  const deps = def.dependencies ?? [];
  const parentKeys = [...new Set(deps.map((d) => d.feature))].filter((k) => k !== check.flagKey);
  const parents = await repo.findFlagsByKeysLocked(trx, check.productId, parentKeys);
  const issues = validateFeature(def, { segmentIds, knownFlags: parents.map((p) => p.key) }).map(toField);

  const nested = new Map(
    parents.filter((p) => Array.isArray(p.dependencies) && p.dependencies.length > 0).map((p) => [p.key, p]),
  );
  deps.forEach((d, i) => {
    if (nested.has(d.feature)) {
      issues.push({
        field: `/body/dependencies/${i}/feature`,
        message: `${d.feature} depends on other flags itself; dependencies are one level deep (like Unleash)`,
      });
    }
  });
  if (deps.length > 0 && !check.isNew) {
    const dependents = await repo.dependentsOf(trx, check.productId, check.flagKey);
    if (dependents.length > 0) {
      issues.push({
        field: '/body/dependencies',
        message:
          `other flags depend on ${check.flagKey} (${dependents.slice(0, 5).join(', ')}); a flag with dependents ` +
          'cannot depend on another flag (one level)',
      });
    }
  }
  if (issues.length > 0) throw invalid('FLAG_DEFINITION_INVALID', 'flag definition', issues);
}

/** Validates a segment's constraints (its name and description are checked by the request schema). */
export function assertValidSegmentConstraints(constraints: readonly unknown[]): void {
  const issues = constraints.flatMap((c, i) => validateConstraint(c, `/constraints/${i}`)).map(toField);
  if (issues.length > 0) throw invalid('SEGMENT_DEFINITION_INVALID', 'segment definition', issues);
}
