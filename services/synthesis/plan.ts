/**
 * What a round does with each record: the method that fits it and the target it is checked against.
 * Weak records get GT-conditioned generation (round 0: the analysis' composition); unlabeled ones get
 * self-consistency (round 0: the analysis' predicted emotion and AUs).
 */
import { z } from 'zod';
import type { CandidateMethod } from '../../pipelines/facs/vocabulary';
import type { CandidateTarget } from '../../pipelines/synthesis';
import type { RoundInput } from '../../db/repositories/rounds';
import { EstimatesSchema } from '../../db/repositories/analysis-json';
import { parseStored } from './stored';

const ExpressionsSchema = z.record(z.string(), z.number());

export type AUEstimateMap = z.infer<typeof EstimatesSchema>;


export interface RecordPlan {
  input: RoundInput;
  method: CandidateMethod;
  /** The conditioned target (known labels, the analysis' AUs where the AUs are unknown); null for self-consistency. */
  target: CandidateTarget | null;
  estimates: AUEstimateMap;
  expressions: Record<string, number>;
  presentAUs: string[];
}

export function planRecord(input: RoundInput, hasModel: boolean): RecordPlan {
  const estimates = parseStored(EstimatesSchema, input.auEstimates) ?? {};
  const expressions = parseStored(ExpressionsSchema, input.expressions) ?? {};
  const presentAUs = Object.entries(estimates)
    .filter(([, e]) => e.present)
    .map(([au]) => au);
  const base = { input, estimates, expressions, presentAUs };
  if (!hasModel) return { ...base, method: 'analysis', target: null };
  if (input.status === 'unlabeled') return { ...base, method: 'consistency', target: null };
  const knownAUs = input.aus.length > 0;
  const target: CandidateTarget = {
    emotion: input.emotion,
    aus: knownAUs ? input.aus : input.emotion === 'neutral' ? [] : presentAUs,
    emotionFrom: input.emotion ? 'label' : 'none',
    ausFrom: knownAUs ? 'label' : presentAUs.length && input.emotion !== 'neutral' ? 'analysis' : 'none',
  };
  return { ...base, method: 'conditioned', target };
}

/** A stable seed per (round seed, record): a resumed round draws the same samples for the records it has left. */
export function recordSeed(seed: number, recordId: string): number {
  let h = (seed ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < recordId.length; i++) h = Math.imul(h ^ recordId.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
