/**
 * Model predictions, kept apart from human revisions: one row per (record, model), replaced when the model predicts
 * again. Each row carries its purpose: only a `suggestion` is ever offered to an annotator; an `eval` output only scores.
 */
import type Database from 'better-sqlite3';
import { getMeta, setMeta } from './vocabulary';
import { nowIso, stmt } from './statements';

export const PREDICTION_PURPOSES = ['suggestion', 'eval'] as const;
export type PredictionPurpose = (typeof PREDICTION_PURPOSES)[number];

export interface PredictionValues {
  emotion: string | null;
  score: number | null;
  emotionScores: Record<string, number>;
  /** AU tokens, or AU scores `{au, score, present}` from an estimator. */
  aus: readonly (string | { au: string; score: number; present: boolean })[];
  reasoning: string;
}

export function upsertPrediction(
  db: Database.Database,
  recordId: string,
  modelId: number,
  p: PredictionValues,
  createdAt = nowIso(),
  purpose: PredictionPurpose = 'suggestion',
): void {
  stmt(
    db,
    `INSERT INTO predictions (record_id, model_id, emotion, score, emotion_scores, aus, reasoning, created_at, purpose)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (record_id, model_id) DO UPDATE SET emotion = excluded.emotion, score = excluded.score,
       emotion_scores = excluded.emotion_scores, aus = excluded.aus, reasoning = excluded.reasoning, created_at = excluded.created_at,
       purpose = excluded.purpose`,
  ).run(recordId, modelId, p.emotion, p.score, JSON.stringify(p.emotionScores), JSON.stringify(p.aus), p.reasoning, createdAt, purpose);
}

export function predictionExists(db: Database.Database, id: number): boolean {
  return stmt(db, 'SELECT 1 FROM predictions WHERE id = ?').get(id) !== undefined;
}

export interface SuggestionRowDb {
  id: number;
  record_id: string;
  model_id: number;
  model_name: string;
  model_version: string;
  emotion: string | null;
  score: number | null;
  emotion_scores: string;
  aus: string;
  reasoning: string;
  created_at: string;
}

/**
 * A record's suggestions (purpose `suggestion` only), newest first: from the chosen policy, or (null) from the face
 * analysis' models (every model that is not a trained policy).
 */
export function suggestionsOfRecord(db: Database.Database, recordId: string, policyId: number | null): SuggestionRowDb[] {
  const sql = `SELECT p.id, p.record_id, p.model_id, m.name AS model_name, m.version AS model_version, p.emotion, p.score,
       p.emotion_scores, p.aus, p.reasoning, p.created_at
     FROM predictions p JOIN models m ON m.id = p.model_id
     WHERE p.record_id = ? AND p.purpose = 'suggestion' AND ${policyId === null ? "m.kind <> 'policy'" : 'p.model_id = ?'}
     ORDER BY p.created_at DESC, p.id DESC`;
  return (policyId === null ? stmt(db, sql).all(recordId) : stmt(db, sql).all(recordId, policyId)) as SuggestionRowDb[];
}

export interface LabeledSuggestionRowDb extends SuggestionRowDb {
  label_emotion: string | null;
  /** The current label's AUs, space-separated. */
  label_aus: string;
  /** The prediction the current label was made from, if any. */
  label_parent_prediction_id: number | null;
}

/**
 * Every suggestion (purpose `suggestion`) of a source, as suggestionsOfRecord picks them, on the records whose current
 * revision is a human one, with that label; grouped by record, each record's newest first.
 */
export function suggestionsOnHumanLabels(db: Database.Database, policyId: number | null): LabeledSuggestionRowDb[] {
  const sql = `SELECT p.id, p.record_id, p.model_id, m.name AS model_name, m.version AS model_version, p.emotion, p.score,
       p.emotion_scores, p.aus, p.reasoning, p.created_at,
       r.emotion AS label_emotion, r.aus AS label_aus, v.parent_prediction_id AS label_parent_prediction_id
     FROM predictions p JOIN models m ON m.id = p.model_id
       JOIN records r ON r.id = p.record_id JOIN revisions v ON v.id = r.current_revision_id
     WHERE p.purpose = 'suggestion' AND v.kind = 'human' AND ${policyId === null ? "m.kind <> 'policy'" : 'p.model_id = ?'}
     ORDER BY p.record_id, p.created_at DESC, p.id DESC`;
  return (policyId === null ? stmt(db, sql).all() : stmt(db, sql).all(policyId)) as LabeledSuggestionRowDb[];
}

/**
 * The splits that hold a record in a held-out part and do not allow suggestions there. A held-out part is a part
 * named `test`, or any other part but `train` that a model was evaluated on (a validation part, say).
 */
export function splitsHoldingOut(db: Database.Database, recordId: string): { split: string; part: string }[] {
  return stmt(
    db,
    `SELECT s.name AS split, a.part FROM split_assignments a JOIN splits s ON s.id = a.split_id
     WHERE a.record_id = ? AND s.suggestions_on_test = 0
       AND (a.part = 'test' OR (a.part <> 'train' AND EXISTS (SELECT 1 FROM evals e WHERE e.split = s.name AND e.part = a.part)))
     ORDER BY s.name`,
  ).all(recordId) as { split: string; part: string }[];
}

/** Held-out parts of a split (its `test` part and every part but `train` a model was evaluated on). */
export function heldOutParts(db: Database.Database, split: string): string[] {
  return (
    stmt(
      db,
      `SELECT DISTINCT a.part FROM split_assignments a JOIN splits s ON s.id = a.split_id
       WHERE s.name = ? AND (a.part = 'test' OR (a.part <> 'train' AND EXISTS (SELECT 1 FROM evals e WHERE e.split = s.name AND e.part = a.part)))
       ORDER BY a.part`,
    ).all(split) as { part: string }[]
  ).map((r) => r.part);
}

const SUGGESTION_MODEL_KEY = 'suggestion_model';

/** The policy whose suggestions the label view shows; null: the face analysis (the default). */
export function getSuggestionModel(db: Database.Database): number | null {
  const v = Number(getMeta(db, SUGGESTION_MODEL_KEY) ?? '');
  return Number.isInteger(v) && v > 0 ? v : null;
}

export function setSuggestionModel(db: Database.Database, modelId: number | null): void {
  setMeta(db, SUGGESTION_MODEL_KEY, modelId === null ? 'analysis' : String(modelId));
}

/** Names of the splits that allow suggestions on their held-out records. */
export function splitsAllowingTestSuggestions(db: Database.Database): string[] {
  return (stmt(db, 'SELECT name FROM splits WHERE suggestions_on_test = 1 ORDER BY name').all() as { name: string }[]).map((r) => r.name);
}

/** Sets which splits allow suggestions on their held-out records (every other split refuses them); one statement. */
export function setSplitsAllowingTestSuggestions(db: Database.Database, names: readonly string[]): void {
  stmt(db, 'UPDATE splits SET suggestions_on_test = CASE WHEN name IN (SELECT value FROM json_each(?)) THEN 1 ELSE 0 END').run(JSON.stringify(names));
}
