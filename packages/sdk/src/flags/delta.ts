/**
 * Unleash's delta API (`/api/client/delta`): events that hydrate or patch a client's flag state. applyDelta is pure:
 * it returns a new state to build a new FlagEngine from (engines are immutable; compile is lazy, so rebuilding is
 * cheap). Unknown event types are ignored, as the Unleash SDKs do.
 */
import type { FeatureDefinition, SegmentDefinition } from './types.ts';

export type DeltaEvent =
  | { type: 'hydration'; eventId?: number; features: FeatureDefinition[]; segments?: SegmentDefinition[] }
  | { type: 'feature-updated'; eventId?: number; feature: FeatureDefinition }
  | { type: 'feature-removed'; eventId?: number; featureName: string; project?: string }
  | { type: 'segment-updated'; eventId?: number; segment: SegmentDefinition }
  | { type: 'segment-removed'; eventId?: number; segmentId: number };

export interface DeltaState {
  features: FeatureDefinition[];
  segments: SegmentDefinition[];
}

export function applyDelta(
  state: { features?: readonly FeatureDefinition[]; segments?: readonly SegmentDefinition[] },
  events: readonly DeltaEvent[],
): DeltaState {
  let features = new Map((state.features ?? []).map((f) => [f.name, f]));
  let segments = new Map((state.segments ?? []).map((s) => [s.id, s]));
  for (const e of events) {
    switch (e.type) {
      case 'hydration':
        features = new Map((e.features ?? []).map((f) => [f.name, f]));
        segments = new Map((e.segments ?? []).map((s) => [s.id, s]));
        break;
      case 'feature-updated':
        features.set(e.feature.name, e.feature);
        break;
      case 'feature-removed':
        features.delete(e.featureName);
        break;
      case 'segment-updated':
        segments.set(e.segment.id, e.segment);
        break;
      case 'segment-removed':
        segments.delete(e.segmentId);
        break;
      default:
        break;
    }
  }
  return { features: [...features.values()], segments: [...segments.values()] };
}
