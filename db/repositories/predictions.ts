/** Model predictions, kept apart from human revisions: one row per (record, model), replaced when the model predicts again. */
import type Database from 'better-sqlite3';
import { nowIso, stmt } from './statements';

export interface PredictionValues {
  emotion: string | null;
  score: number | null;
  emotionScores: Record<string, number>;
  /** AU tokens, or AU scores `{au, score, present}` from an estimator. */
  aus: readonly (string | { au: string; score: number; present: boolean })[];
  reasoning: string;
}

export function upsertPrediction(db: Database.Database, recordId: string, modelId: number, p: PredictionValues, createdAt = nowIso()): void {
  stmt(
    db,
    `INSERT INTO predictions (record_id, model_id, emotion, score, emotion_scores, aus, reasoning, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (record_id, model_id) DO UPDATE SET emotion = excluded.emotion, score = excluded.score,
       emotion_scores = excluded.emotion_scores, aus = excluded.aus, reasoning = excluded.reasoning, created_at = excluded.created_at`,
  ).run(recordId, modelId, p.emotion, p.score, JSON.stringify(p.emotionScores), JSON.stringify(p.aus), p.reasoning, createdAt);
}

export function predictionExists(db: Database.Database, id: number): boolean {
  return stmt(db, 'SELECT 1 FROM predictions WHERE id = ?').get(id) !== undefined;
}
