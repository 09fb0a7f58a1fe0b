/**
 * The training settings' choice lists and the run stages and statuses, declared once in pipelines (next to what
 * uses them) and re-exported here for the contract's schemas and the renderer's forms.
 */
export { GRPO_LOSS_TYPES, SAMPLE_WEIGHTINGS, type GrpoLossType, type SampleWeighting } from '../pipelines/rl/run-values';
export { DECODERS, type DecoderKind } from '../pipelines/model/config';
export { RUN_STAGES, RUN_STATUSES, type RunStage, type RunStatus } from '../pipelines/facs/vocabulary';
