/**
 * The training settings' choice lists and the run stages and statuses, declared once in pipelines (next to what
 * uses them) and re-exported here for the contract's schemas and the renderer's forms.
 */
export { GRPO_LOSS_TYPES, SAMPLE_WEIGHTINGS, type GrpoLossType, type SampleWeighting } from '../pipelines/rl/run-values';
export { DECODERS, type DecoderKind } from '../pipelines/model/config';
/** The training engines' export formats (export.start, the export view). */
export { ENGINE_FORMATS, type EngineFormat } from '../pipelines/formats/engine-formats';
export { RUN_STAGES, RUN_STATUSES, type RunStage, type RunStatus } from '../pipelines/facs/vocabulary';

/**
 * How much one training run may ask for (training.start, `fea train`, and `--set` of the same settings): a run is
 * bounded work, a request can never start an endless one.
 */
export const TRAINING_LIMITS = { maxSteps: 100_000, maxEpochs: 1_000, maxSettings: 64, maxSettingKeyLength: 64, maxSettingValueLength: 256 } as const;

/** The seed of a run started without one (training.start, `fea train`); the run stores the seed it used. */
export const DEFAULT_RUN_SEED = 1;
