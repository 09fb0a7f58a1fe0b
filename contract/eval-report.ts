/** The evaluation report's schema: stored reports (the evals table) are parsed with it on read. */
import { z } from 'zod';
import type { EvalReport } from '../pipelines/eval/metrics';

export const EvalReportSchema = z.object({
  n: z.number(),
  accuracy: z.number(),
  macroF1: z.number(),
  auF1Macro: z.number(),
  auF1Micro: z.number(),
  formatRate: z.number(),
  rougeL: z.number(),
  hallucinatedAURate: z.number(),
  misalignedRate: z.number(),
  confusion: z.object({ labels: z.array(z.string()), matrix: z.array(z.array(z.number())) }),
  perAU: z.record(z.string(), z.object({ f1: z.number(), support: z.number() })),
}) satisfies z.ZodType<EvalReport>;
