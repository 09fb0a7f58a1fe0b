/**
 * The training worker thread: one per training/eval job. It opens its own connection to the workspace (WAL lets
 * it write while the main thread reads), records metrics, checkpoints and models, and posts progress to the parent.
 * Started from dist/ via workerPath('services/training/worker').
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { RunResultSchema, runResultOfMetrics, type StoredRunSummary } from '../../contract/run-result';
import { openWorkspace, type Workspace } from '../../db/open';
import { getRun, listMetrics, recordStep, truncateMetrics, updateRun } from '../../db/repositories/runs';
import { createModel, getModel, insertEval, setModelName, setModelPath, upsertPredictions } from '../../db/repositories/models';
import { splitPartNames } from '../../db/repositories/training-data';
import { answerContent, thinkAUs } from '../../pipelines/facs/reasoning';
import { initBackend, tf } from '../../pipelines/runtime/backend';
import { evaluatePolicy, generateOutputs } from '../../pipelines/model/generate';
import { loadPolicy, savePolicy } from '../../pipelines/model/persist';
import { DEFAULT_POLICY_SHAPE } from '../../pipelines/model/config';
import type { FaceSample } from '../../pipelines/model/inputs';
import type { Policy } from '../../pipelines/model/policy';
import type { WordTokenizer } from '../../pipelines/tokenizer';
import { SftTrainer } from '../../pipelines/sft/train-sft';
import { EXPRESSION_FEATURE_DIM, expressionPriorPositions } from '../../pipelines/vision/expression-features';
import { RlTrainer } from '../../pipelines/rl/train-rl';
import { loadEmotionOnlySamples, loadSnapshotSamples, loadSplitSamples } from './dataset';
import { parseRunConfig } from './run-config';
import { runEmotions } from './run-emotions';
import type { WorkerReply, WorkerRequest, TrainResult } from './protocol';

const request = workerData as WorkerRequest;
let stopRequested = false;
parentPort?.on('message', (m: { type: string }) => {
  if (m?.type === 'stop') stopRequested = true;
});

function post(msg: WorkerReply): void {
  parentPort?.postMessage(msg);
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The descriptors a policy reads are computed first where analysis left them out (dataset.ts). */
const onDescriptors = ({ done, total }: { done: number; total: number }) => post({ type: 'status', message: `computing recognition descriptors ${done}/${total}` });

function policyDirOf(ws: Workspace, modelId: number): string {
  const m = getModel(ws.db, modelId);
  if (!m || !m.path) throw new Error(`model ${modelId} does not exist or has no files`);
  if (m.kind !== 'policy') throw new Error(`model ${modelId} is a ${m.kind}, not a reasoning policy`);
  return path.join(ws.dir, ...m.path.split('/'));
}

interface AnyTrainer {
  readonly done: boolean;
  readonly state: { step: number; totalSteps: number };
  readonly policy: Policy;
  readonly tokenizer: WordTokenizer;
  trainStep(): Record<string, number>;
  checkpoint(dir: string): Promise<void>;
  dispose(): void;
}

async function train(ws: Workspace, backend: string, req: Extract<WorkerRequest, { kind: 'train' }>): Promise<void> {
  const { runId } = req;
  const run = getRun(ws.db, runId);
  if (!run) throw new Error(`run ${runId} does not exist`);
  const cfg = parseRunConfig(runId, run.config);
  updateRun(ws.db, runId, { status: 'running', backend, error: null });
  const imageSize = cfg.sft.model.imageSize ?? DEFAULT_POLICY_SHAPE.imageSize;
  const descriptorDim = cfg.sft.model.descriptorDim ?? DEFAULT_POLICY_SHAPE.descriptorDim;
  let parentDir: string | null = null;
  let size = imageSize;
  let dim = descriptorDim;
  let exprDim = cfg.sft.model.expressionDim ?? DEFAULT_POLICY_SHAPE.expressionDim;
  if (cfg.stage === 'rl') {
    if (cfg.from === null) throw new Error('an RL run needs a starting model');
    parentDir = policyDirOf(ws, cfg.from);
    const topo = JSON.parse(fs.readFileSync(path.join(parentDir, 'model.json'), 'utf8')).modelTopology;
    size = topo.config.imageSize;
    dim = topo.config.descriptorDim;
    exprDim = topo.config.expressionDim ?? 0;
  }
  post({ type: 'status', message: 'loading data' });
  const samples =
    cfg.snapshot === null
      ? await loadSplitSamples(ws, cfg.split, cfg.trainPart, { imageSize: size, descriptorDim: dim, expressionDim: exprDim, labeledOnly: true, onDescriptors })
      : await loadSnapshotSamples(ws, cfg.snapshot, { split: cfg.split, part: cfg.evalPart }, { imageSize: size, descriptorDim: dim, expressionDim: exprDim, onDescriptors });
  if (samples.length === 0) {
    throw new Error(cfg.snapshot === null ? `split "${cfg.split}" has no labeled records in part "${cfg.trainPart}"` : `snapshot ${cfg.snapshot} has no records outside ${cfg.split}/${cfg.evalPart}`);
  }
  const ckpt = run.checkpoint_path ? path.join(ws.dir, ...run.checkpoint_path.split('/')) : null;
  const resumeFrom = req.resume && ckpt !== null && fs.existsSync(ckpt) ? ckpt : null;
  const resuming = resumeFrom !== null;
  let trainer: AnyTrainer;
  if (cfg.stage === 'sft') {
    const vocab = runEmotions(ws, samples);
    // the expression net's answer as the emotion head's starting point, where the policy reads its features
    const prior = exprDim === EXPRESSION_FEATURE_DIM ? { expressionPrior: expressionPriorPositions(vocab) } : {};
    const fitsHead = !resumeFrom && cfg.sft.headFit && !!prior.expressionPrior;
    const emotionOnly = fitsHead && cfg.sft.headFitEmotionOnly && cfg.trainPart !== cfg.evalPart ? await loadEmotionOnlySamples(ws, cfg.split, cfg.trainPart, { exclude: new Set(samples.map((s) => s.recordId)), imageSize: size, descriptorDim: dim, expressionDim: exprDim, onDescriptors }) : [];
    if (fitsHead) post({ type: 'status', message: 'fitting the emotion head' });
    trainer = resumeFrom ? await SftTrainer.resume(resumeFrom, samples, cfg.sft) : SftTrainer.create([...samples, ...emotionOnly], vocab, { ...cfg.sft, model: { ...cfg.sft.model, ...prior } });
  } else {
    if (parentDir === null) throw new Error('an RL run needs a starting model');
    trainer = resumeFrom ? await RlTrainer.resume(resumeFrom, parentDir, samples, cfg.rl) : await RlTrainer.create(parentDir, samples, cfg.rl);
  }
  try {
    if (resuming) truncateMetrics(ws.db, runId, trainer.state.step);
    updateRun(ws.db, runId, { total_steps: trainer.state.totalSteps, step: trainer.state.step });
    post({ type: 'progress', step: trainer.state.step, totalSteps: trainer.state.totalSteps });
    let last: Record<string, number> = {};
    let lastCkptStep = trainer.state.step;
    const checkpoint = async () => {
      const rel = `runs/${runId}/ckpt-${trainer.state.step}`;
      const dir = path.join(ws.dir, ...rel.split('/'));
      await trainer.checkpoint(dir);
      updateRun(ws.db, runId, { checkpoint_path: rel });
      // Once the row names the new checkpoint, every other one goes: one left by a process killed before it removed
      // it included (the row never names those again)
      const name = path.basename(dir);
      for (const d of fs.readdirSync(path.dirname(dir))) {
        if (d.startsWith('ckpt-') && d !== name) fs.rmSync(path.join(path.dirname(dir), d), { recursive: true, force: true });
      }
      lastCkptStep = trainer.state.step;
    };
    while (!trainer.done) {
      await tick();
      if (stopRequested) {
        if (trainer.state.step > lastCkptStep) await checkpoint();
        updateRun(ws.db, runId, { status: 'stopped' });
        post({ type: 'stopped', step: trainer.state.step });
        return;
      }
      last = trainer.trainStep();
      last.numTensors = tf.memory().numTensors;
      recordStep(ws.db, runId, trainer.state.step, trainer.state.totalSteps, last);
      post({ type: 'metrics', step: trainer.state.step, totalSteps: trainer.state.totalSteps, values: last });
      if (trainer.state.step % cfg.checkpointEvery === 0 && !trainer.done) await checkpoint();
    }
    await checkpoint();
    // RL's result is its best validated step (on the held-out slice of the training part, never the test part)
    const selectedStep = trainer instanceof RlTrainer ? trainer.selectResult() : trainer.state.step;
    post({ type: 'status', message: 'saving model' });
    // A run killed while saving or evaluating resumes here: it keeps the model it already registered
    const modelId =
      run.model_id ??
      ws.db.transaction(() => {
        const id = createModel(ws.db, {
          name: `policy-${cfg.stage}-run-${runId}`,
          kind: 'policy',
          stage: cfg.stage,
          runId,
          parentModelId: cfg.stage === 'rl' ? cfg.from : null,
          backend,
          config: { policy: trainer.policy.config, training: cfg.stage === 'sft' ? cfg.sft : cfg.rl },
        });
        // named after its own id: "model 3" is never the name of model 4 (run 3's)
        setModelName(ws.db, id, `policy-${cfg.stage}-model-${id}`);
        updateRun(ws.db, runId, { model_id: id });
        return id;
      })();
    const rel = `models/${modelId}`;
    // the path is set only once every file is written, so a model without one is saved (again) in full
    if (!getModel(ws.db, modelId)?.path) {
      await savePolicy(path.join(ws.dir, 'models', String(modelId)), trainer.policy, trainer.tokenizer, { runId, stage: cfg.stage });
      setModelPath(ws.db, modelId, rel);
    }
    const metrics: Record<string, unknown> = { ...last, step: trainer.state.step, totalSteps: trainer.state.totalSteps };
    if (trainer instanceof SftTrainer) {
      metrics.earlyStopped = trainer.state.earlyStopped;
      if (trainer.state.bestVal !== null) metrics.bestValLoss = trainer.state.bestVal;
      const headFit = trainer.state.headFit;
      if (headFit) Object.assign(metrics, { headFitKept: headFit.kept, headFitL2: headFit.l2, headFitCvAccuracy: headFit.cvAccuracy, headFitPriorCvAccuracy: headFit.priorCvAccuracy, headFitSamples: headFit.samples, headFitEmotionOnly: headFit.emotionOnly ?? 0, headFitCvLogLoss: headFit.cvLogLoss, headFitRows: headFit.rows ?? headFit.samples });
    }
    if (trainer instanceof RlTrainer) {
      metrics.selectedStep = selectedStep;
      if (trainer.state.valStart) metrics.valStart = trainer.state.valStart;
      if (trainer.state.valBest) metrics.valSelected = trainer.state.valBest;
      post({ type: 'status', message: 'greedy reward on the training part' });
      const g = trainer.greedyTrainReward();
      metrics.trainRewardGreedy = g.policy;
      if (g.reference !== null) metrics.trainRewardGreedyStart = g.reference;
      metrics.trainRewardSampled = trainer.probeSampledReward(trainer.policy);
      if (trainer.reference) metrics.trainRewardSampledStart = trainer.probeSampledReward(trainer.reference);
      const rewards = listMetrics(ws.db, runId).map((p) => p.values.reward).filter(Number.isFinite);
      const k = Math.max(1, Math.floor(rewards.length / 3));
      const avg = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
      metrics.rewardMeanFirstThird = avg(rewards.slice(0, k));
      metrics.rewardMeanLastThird = avg(rewards.slice(-k));
    }
    if (splitPartNames(ws.db, cfg.split).includes(cfg.evalPart)) {
      post({ type: 'status', message: `evaluating on ${cfg.split}/${cfg.evalPart}` });
      const report = await evaluateAndStore(ws, modelId, trainer.policy, trainer.tokenizer, cfg.split, cfg.evalPart);
      metrics.eval = { split: cfg.split, part: cfg.evalPart, ...report };
    }
    // The run's result, checked against the contract before it is stored: a worker bug fails the run loudly
    const result = RunResultSchema.parse(runResultOfMetrics(cfg.stage, metrics, trainer.state.totalSteps));
    // One statement: the run is never 'done' without its summary
    updateRun(ws.db, runId, { status: 'done', summary: JSON.stringify(storedSummary(metrics, result)) });
    const done: TrainResult = { runId, modelId, backend, metrics };
    post({ type: 'done', result: done });
  } finally {
    trainer.dispose();
  }
}

/** What the run row keeps: the metrics less the eval's confusion matrix and per-AU table (the evals table has them), and the result. */
function storedSummary(metrics: Record<string, unknown>, result: StoredRunSummary['result']): StoredRunSummary {
  const { eval: report, ...rest } = metrics;
  if (report === null || typeof report !== 'object') return { ...rest, result };
  const scalars = Object.entries(report).filter(([, v]) => typeof v === 'number' || typeof v === 'string');
  return { ...rest, eval: Object.fromEntries(scalars), result };
}

async function evaluateAndStore(ws: Workspace, modelId: number, policy: Policy, tokenizer: WordTokenizer, split: string, part: string) {
  const samples = await loadSplitSamples(ws, split, part, {
    imageSize: policy.config.imageSize,
    descriptorDim: policy.config.descriptorDim,
    expressionDim: policy.config.expressionDim ?? 0,
    labeledOnly: false,
    onDescriptors,
  });
  if (samples.length === 0) throw new Error(`split "${split}" has no records with an emotion in part "${part}"`);
  const { report, outputs } = evaluatePolicy(policy, tokenizer, samples, {
    onProgress: (done, total) => post({ type: 'progress', step: done, totalSteps: total }),
  });
  ws.db.transaction(() => {
    insertEval(ws.db, modelId, split, part, report);
    upsertPredictions(ws.db, modelId, outputs.map((o) => predictionOf(policy, o)), 'eval');
  })();
  return report;
}

function predictionOf(policy: Policy, o: ReturnType<typeof generateOutputs>[number]) {
  const answer = answerContent(o.text);
  const scores = Object.fromEntries(policy.config.emotions.map((e, i) => [e, Number(o.emotionProbs[i].toFixed(4))]));
  const aus = [...thinkAUs(o.text)];
  return { recordId: o.sample.recordId, emotion: answer, score: answer && answer in scores ? scores[answer] : null, emotionScores: scores, aus, reasoning: o.text };
}

/** A policy's suggestions for a split part's records, labeled or not (the service refuses held-out parts). */
async function suggest(ws: Workspace, { modelId, split, part }: Extract<WorkerRequest, { kind: 'suggest' }>): Promise<void> {
  const { policy, tokenizer } = await loadPolicy(policyDirOf(ws, modelId), false);
  try {
    const samples = await loadSplitSamples(ws, split, part, { imageSize: policy.config.imageSize, descriptorDim: policy.config.descriptorDim, expressionDim: policy.config.expressionDim ?? 0, labeledOnly: false, withUnlabeled: true, onDescriptors });
    const outs = generateOutputs(policy, tokenizer, samples);
    upsertPredictions(ws.db, modelId, outs.map((o) => predictionOf(policy, o)), 'suggestion');
    post({ type: 'suggested', written: outs.length });
  } finally {
    policy.dispose();
  }
}

async function evaluate(ws: Workspace, { modelId, split, part }: Extract<WorkerRequest, { kind: 'eval' }>): Promise<void> {
  const { policy, tokenizer } = await loadPolicy(policyDirOf(ws, modelId), false);
  try {
    const report = await evaluateAndStore(ws, modelId, policy, tokenizer, split, part);
    post({ type: 'eval', report });
  } finally {
    policy.dispose();
  }
}

async function samplesJob(ws: Workspace, { modelId, split, part, limit }: Extract<WorkerRequest, { kind: 'samples' }>): Promise<void> {
  const { policy, tokenizer } = await loadPolicy(policyDirOf(ws, modelId), false);
  try {
    const samples: FaceSample[] = await loadSplitSamples(ws, split, part, {
      imageSize: policy.config.imageSize,
      descriptorDim: policy.config.descriptorDim,
      expressionDim: policy.config.expressionDim ?? 0,
      labeledOnly: false,
      limit,
      onDescriptors,
    });
    const outs = generateOutputs(policy, tokenizer, samples);
    post({
      type: 'samples',
      samples: outs.map((o) => ({
        recordId: o.sample.recordId,
        imageKey: o.sample.imageKey,
        output: o.text,
        label: { emotion: o.sample.emotion, aus: o.sample.aus, reasoning: o.sample.reasoning },
      })),
    });
  } finally {
    policy.dispose();
  }
}

async function main(): Promise<void> {
  const backend = await initBackend();
  post({ type: 'backend', backend });
  const ws = openWorkspace(request.wsDir);
  try {
    if (request.kind === 'train') await train(ws, backend, request);
    else if (request.kind === 'eval') await evaluate(ws, request);
    else if (request.kind === 'suggest') await suggest(ws, request);
    else await samplesJob(ws, request);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (request.kind === 'train') {
      try {
        updateRun(ws.db, request.runId, { status: 'failed', error: message });
      } catch {
        // the failure is still reported to the parent below
      }
    }
    post({ type: 'error', message });
  } finally {
    ws.close();
    // Everything is written and posted: closing the port lets the thread end instead of idling on 'message'.
    parentPort?.close();
  }
}

if (parentPort) void main();
