export * from './api';
export * from './types';
export { RlRunResultSchema, RunResultSchema, SftRunResultSchema, ValScoreSchema } from './run-result';
export { EvalReportSchema } from './eval-report';
export * from './training-choices';
