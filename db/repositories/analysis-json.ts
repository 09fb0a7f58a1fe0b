/**
 * The shapes of the JSON an analysis stores (analyses.landmarks, .box, .au_estimates; predictions.aus), one schema
 * each for every reader: the label view's overlay and suggestion, a round's plan and review, the CSV export.
 */
import { z } from 'zod';

export const LandmarksSchema = z.array(z.tuple([z.number(), z.number()]));
export const BoxSchema = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() });
export const EstimatesSchema = z.record(z.string(), z.object({ score: z.number(), present: z.boolean() }));
/**
 * A prediction's AUs: {au, score, present} from an estimator, or a bare "AUn" (a policy that only names AUs, present);
 * an entry of another shape is dropped, not the whole list.
 */
export const PredictionAUsSchema = z.array(
  z.union([z.string(), z.object({ au: z.string(), score: z.number().optional(), present: z.boolean().optional() }), z.unknown().transform(() => null)]),
);
