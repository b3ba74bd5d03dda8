/**
 * The Unleash client specification (@unleash/client-specification): every file, every `tests` case (isEnabled) and
 * every `variantTests` case (getVariant), one Vitest case each. Delta files (19, 20) are applied with applyDelta.
 * No case is skipped and no result is hard-coded.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyDelta, type DeltaEvent } from './delta.ts';
import { FlagEngine } from './engine.ts';
import type { FeatureDefinition, FlagContext, SegmentDefinition, VariantResult } from './types.ts';

const require = createRequire(import.meta.url);
const specDir = join(dirname(require.resolve('@unleash/client-specification/package.json')), 'specifications');

interface SpecCase<R> {
  description: string;
  context: FlagContext;
  toggleName: string;
  expectedResult: R;
}
interface SpecFile {
  name: string;
  state: { features?: FeatureDefinition[]; segments?: SegmentDefinition[]; events?: DeltaEvent[] };
  tests?: SpecCase<boolean>[];
  variantTests?: SpecCase<Record<string, unknown>>[];
}

const files = JSON.parse(readFileSync(join(specDir, 'index.json'), 'utf8')) as string[];

/** Our VariantResult in Unleash's field names (`feature_enabled`; payload only when there is one). */
function unleashVariant(v: VariantResult): Record<string, unknown> {
  const out: Record<string, unknown> = { name: v.name, enabled: v.enabled, feature_enabled: v.featureEnabled };
  if (v.payload !== undefined) out.payload = v.payload;
  return out;
}

/** The expected result without the SDK-specific `featureEnabled` duplicate some files carry. */
function expectedVariant(r: Record<string, unknown>): Record<string, unknown> {
  const { featureEnabled: _dup, ...rest } = r;
  return rest;
}

let total = 0;
for (const file of files) {
  const spec = JSON.parse(readFileSync(join(specDir, file), 'utf8')) as SpecFile;
  const state = spec.state.events ? applyDelta({}, spec.state.events) : spec.state;
  const engine = new FlagEngine(state, { now: () => new Date() });
  describe(file, () => {
    for (const t of spec.tests ?? []) {
      total++;
      it(`isEnabled: ${t.description}`, () => {
        expect(engine.isEnabled(t.toggleName, t.context)).toBe(t.expectedResult);
        expect(engine.evaluate(t.toggleName, t.context).enabled).toBe(t.expectedResult);
      });
    }
    for (const t of spec.variantTests ?? []) {
      total++;
      it(`getVariant: ${t.description}`, () => {
        expect(unleashVariant(engine.getVariant(t.toggleName, t.context))).toEqual(expectedVariant(t.expectedResult));
        expect(unleashVariant(engine.evaluate(t.toggleName, t.context).variant)).toEqual(
          expectedVariant(t.expectedResult),
        );
      });
    }
  });
}

describe('the specification', () => {
  it('was found and has all its cases (6.1.0: 22 files, 279 cases)', () => {
    expect(files.length).toBeGreaterThanOrEqual(22);
    expect(total).toBeGreaterThanOrEqual(279);
  });
});
