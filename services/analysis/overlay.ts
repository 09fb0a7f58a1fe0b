/** Reads the analysis overlay and the model suggestion for the label view. */
import type Database from 'better-sqlite3';
import type { AnalysisOverlay, Suggestion } from '../../contract/types';
import { getAnalysis } from '../../db/repositories/analysis';
import { getSuggestionModel, splitsHoldingOut, suggestionsOfRecord, type SuggestionRowDb } from '../../db/repositories/predictions';
import { BoxSchema, EstimatesSchema, LandmarksSchema, PredictionAUsSchema } from '../../db/repositories/analysis-json';
import { parseStored } from '../../db/repositories/statements';
import { auRegionsFromLandmarks } from '../../pipelines/vision/au-regions';

/** Box, landmarks and AU regions of an image's analysis, in image pixels; null when unanalysed or failed. */
export function loadOverlay(db: Database.Database, imageId: number): AnalysisOverlay | null {
  const row = getAnalysis(db, imageId);
  if (!row || row.error !== null) return null;
  const landmarks = parseStored(LandmarksSchema, row.landmarks, 'landmarks', `image ${imageId}`) ?? [];
  const estimates = parseStored(EstimatesSchema, row.au_estimates, 'AU estimates', `image ${imageId}`) ?? {};
  return {
    faceFound: row.face_found === 1,
    box: parseStored(BoxSchema, row.box, 'face box', `image ${imageId}`),
    landmarks,
    auRegions: auRegionsFromLandmarks(landmarks, estimates),
  };
}

type AUScore = { au: string; score: number; present: boolean };

/** A row's AUs: scores from an estimator, or the AU tokens a policy named in its reasoning (present, score 1). */
function auScores(text: string, predictionId: number): AUScore[] {
  return (parseStored(PredictionAUsSchema, text, 'prediction AUs', `prediction ${predictionId}`) ?? []).flatMap((a) =>
    a === null ? [] : typeof a === 'string' ? [{ au: a, score: 1, present: true }] : a.score !== undefined && Number.isFinite(a.score) ? [{ au: a.au, score: a.score, present: !!a.present }] : [],
  );
}

/**
 * The suggestion shown beside the form, from the source chosen in settings (the face analysis unless a trained
 * policy is picked), and only from predictions made to be suggestions: an evaluation's outputs never are. None on a
 * record of a split's held-out part (its `test` part, or another part but `train` a model was evaluated on) unless that split allows it:
 * copying a model's answer into the labels it is scored against makes the score circular.
 * It is the newest suggestion that carries a reasoning (the row the annotator accepts, so its id becomes the
 * revision's parent prediction), with AU scores from that row or, when it has none, from the newest one that has
 * them (the geometric AU estimator).
 */
export function loadSuggestion(db: Database.Database, recordId: string): Suggestion | null {
  if (splitsHoldingOut(db, recordId).length > 0) return null;
  return composeSuggestion(suggestionsOfRecord(db, recordId, getSuggestionModel(db)));
}

/** One record's suggestion from its source's rows (newest first), as loadSuggestion describes; null without rows. */
export function composeSuggestion(rows: readonly SuggestionRowDb[]): Suggestion | null {
  if (rows.length === 0) return null;
  const main = rows.find((r) => r.reasoning.trim() !== '') ?? rows.find((r) => r.emotion !== null) ?? rows[0];
  let aus = auScores(main.aus, main.id);
  if (aus.length === 0) {
    const withAus = rows.find((r) => auScores(r.aus, r.id).length > 0);
    if (withAus) aus = auScores(withAus.aus, withAus.id);
  }
  return {
    predictionId: main.id,
    model: `${main.model_name}@${main.model_version}`,
    emotion: main.emotion,
    emotionScore: main.score,
    aus: aus.map((a) => ({ au: a.au, score: a.score, present: !!a.present })),
    reasoning: main.reasoning,
  };
}
