/**
 * Turning a record's plan into a stored candidate: round 0 from the analysis, GT-conditioned generation with the
 * exact filter and retries, and self-consistency over G samples. Model generation runs in the synthesis worker.
 */
import { answerContent, thinkAUs } from '../../pipelines/facs/reasoning';
import { sortAUs } from '../../pipelines/facs/vocabulary';
import { generateOutputs, type GeneratedOutput } from '../../pipelines/model/generate';
import type { FaceSample } from '../../pipelines/model/inputs';
import type { Policy } from '../../pipelines/model/policy';
import { Rng } from '../../pipelines/model/rng';
import type { WordTokenizer } from '../../pipelines/tokenizer';
import {
  appendRetry,
  evaluateCandidate,
  flaggedAUClaims,
  groundTruthBlock,
  round0Candidate,
  selfConsistency,
  type CandidateTarget,
} from '../../pipelines/synthesis';
import type { RoundConfig } from '../../contract/synthesis';
import type { NewCandidate } from '../../db/repositories/rounds';
import { recordSeed, type RecordPlan } from './plan';

type Attempt = { output: string; errors: string[]; feedback?: string };

function candidateOf(
  roundId: number,
  modelId: number | null,
  plan: RecordPlan,
  method: NewCandidate['method'],
  output: string,
  target: CandidateTarget,
  agreement: number,
  attempts: Attempt[],
  keptIf: (pass: boolean) => boolean,
  extra: Record<string, unknown> = {},
): NewCandidate {
  const ev = evaluateCandidate(output, target);
  return {
    roundId,
    recordId: plan.input.id,
    method,
    baseRevisionId: plan.input.currentRevisionId,
    output,
    emotion: answerContent(output),
    aus: sortAUs(thinkAUs(output)),
    target: { ...target, ...extra },
    reward: ev.reward,
    checks: ev.checks,
    attempts,
    agreement: Number(agreement.toFixed(4)),
    tries: Math.max(1, attempts.length),
    passed: ev.pass,
    kept: keptIf(ev.pass),
    faceFound: plan.input.faceFound,
    flaggedAUs: flaggedAUClaims(output, plan.estimates),
    modelId,
  };
}

/** Round 0: the composed reasoning of the known (or predicted) emotion and the present AU estimates. */
export function round0Of(roundId: number, plan: RecordPlan): NewCandidate {
  const c = round0Candidate({ emotion: plan.input.emotion, aus: plan.input.aus, expressions: plan.expressions, presentAUs: plan.presentAUs });
  return candidateOf(roundId, null, plan, 'analysis', c.output, c.target, c.agreement, [{ output: c.output, errors: [] }], (pass) => pass);
}

const headProb = (policy: Policy, o: GeneratedOutput, emotion: string | null) => {
  const i = emotion === null ? -1 : policy.config.emotions.indexOf(emotion);
  return i >= 0 ? o.emotionProbs[i] : 0;
};

/**
 * GT-conditioned generation (Facial-R1 §6): the known labels go into the policy's condition; attempt 1 is greedy,
 * each retry a fresh sample. The compact policy reads its condition as a vector, not a prompt: the retry feedback
 * text (§6 step 5) is stored with each attempt for engines whose policy reads prompts.
 */
export function conditionedCandidates(
  roundId: number,
  modelId: number,
  policy: Policy,
  tokenizer: WordTokenizer,
  batch: { plan: RecordPlan; sample: FaceSample }[],
  cfg: RoundConfig,
): NewCandidate[] {
  const state = batch.map(({ plan, sample }) => ({
    plan,
    target: plan.target!,
    sample: { ...sample, emotion: plan.target!.emotion, aus: plan.target!.aus },
    attempts: [] as Attempt[],
    last: null as GeneratedOutput | null,
    done: false,
  }));
  for (let attempt = 0; attempt <= cfg.retries; attempt++) {
    const open = state.filter((s) => !s.done);
    if (!open.length) break;
    // greedy first, then fresh samples, the whole batch at once
    const rng = new Rng(recordSeed(cfg.seed + attempt, open[0].plan.input.id));
    const outs =
      attempt === 0
        ? generateOutputs(policy, tokenizer, open.map((s) => s.sample), { conditioned: true, temperature: 0 })
        : generateOutputs(policy, tokenizer, open.map((s) => s.sample), { conditioned: true, temperature: cfg.temperature, rng });
    open.forEach((s, k) => {
      const ev = evaluateCandidate(outs[k].text, s.target);
      if (s.attempts.length) s.attempts[s.attempts.length - 1].feedback = appendRetry(groundTruthBlock(s.target), s.attempts[s.attempts.length - 1].output, s.attempts[s.attempts.length - 1].errors);
      s.attempts.push({ output: outs[k].text, errors: ev.pass ? [] : ev.errors.length ? ev.errors : ['Text outside <think>…</think><answer>…</answer>.'] });
      s.last = outs[k];
      s.done = ev.pass;
    });
  }
  return state.map((s) =>
    candidateOf(roundId, modelId, s.plan, 'conditioned', s.last!.text, s.target, headProb(policy, s.last!, s.target.emotion ?? answerContent(s.last!.text)), s.attempts, (pass) => pass),
  );
}

/** Self-consistency: G unconditioned samples per face; the modal (emotion, AU set) pair's best sample. */
export function consistencyCandidates(
  roundId: number,
  modelId: number,
  policy: Policy,
  tokenizer: WordTokenizer,
  batch: { plan: RecordPlan; sample: FaceSample }[],
  cfg: RoundConfig,
): NewCandidate[] {
  const G = cfg.samples;
  const rng = new Rng(recordSeed(cfg.seed, batch[0]?.plan.input.id ?? ''));
  const outs = generateOutputs(
    policy,
    tokenizer,
    batch.flatMap(({ sample }) => Array.from({ length: G }, () => ({ ...sample, emotion: null, aus: [] }))),
    { temperature: cfg.temperature, rng, batchSize: Math.max(G, 64 - (64 % G)) },
  );
  return batch.map(({ plan }, b) => {
    const mine = outs.slice(b * G, (b + 1) * G);
    const sc = selfConsistency(mine.map((o) => o.text));
    const chosen = mine[sc.index].text;
    const target: CandidateTarget = { emotion: sc.emotion, aus: sc.aus, emotionFrom: 'samples', ausFrom: 'samples' };
    return candidateOf(
      roundId,
      modelId,
      plan,
      'consistency',
      chosen,
      target,
      sc.agreement,
      [{ output: chosen, errors: [] }],
      (pass) => pass && sc.agreement >= cfg.minAgreement,
      { samples: G, emotionAgreement: sc.emotionAgreement, auAgreement: sc.auAgreement, distinct: sc.distinct },
    );
  });
}
