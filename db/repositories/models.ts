/** Trained models, their evaluations and their predictions. */
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { upsertPrediction, type PredictionPurpose } from './predictions';
import { nowIso, parseStored, stmt } from './statements';

export interface ModelRow {
  id: number;
  name: string;
  version: string;
  kind: string;
  stage: string | null;
  run_id: number | null;
  parent_model_id: number | null;
  path: string | null;
  backend: string | null;
  config: string;
  created_at: string;
}

export interface NewModel {
  name: string;
  version?: string;
  kind: string;
  stage: string;
  runId: number | null;
  parentModelId: number | null;
  backend: string;
  config: Record<string, unknown>;
}

/** Inserts the row; the caller sets `path` once the files are in place (models/<id>/). */
export function createModel(db: Database.Database, m: NewModel): number {
  const info = stmt(
    db,
    `INSERT INTO models (name, version, kind, stage, run_id, parent_model_id, path, backend, config, created_at)
     VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)`,
  ).run(m.name, m.version ?? '1', m.kind, m.stage, m.runId, m.parentModelId, m.backend, JSON.stringify(m.config), nowIso());
  return Number(info.lastInsertRowid);
}

export function setModelPath(db: Database.Database, id: number, relPath: string): void {
  stmt(db, 'UPDATE models SET path = ? WHERE id = ?').run(relPath, id);
}

export function getModel(db: Database.Database, id: number): ModelRow | undefined {
  return stmt(db, 'SELECT * FROM models WHERE id = ?').get(id) as ModelRow | undefined;
}

export function listModels(db: Database.Database, kind?: string): ModelRow[] {
  return kind
    ? (stmt(db, 'SELECT * FROM models WHERE kind = ? ORDER BY id DESC').all(kind) as ModelRow[])
    : (stmt(db, 'SELECT * FROM models ORDER BY id DESC').all() as ModelRow[]);
}

/** The newest policy of a stage whose files exist (path set). */
export function newestPolicy(db: Database.Database, stage: string): ModelRow | undefined {
  return stmt(db, "SELECT * FROM models WHERE kind = 'policy' AND stage = ? AND path IS NOT NULL ORDER BY id DESC LIMIT 1").get(stage) as
    | ModelRow
    | undefined;
}

/** The newest policy of any stage whose files exist: what `--model latest` names. */
export function latestPolicy(db: Database.Database): ModelRow | undefined {
  return stmt(db, "SELECT * FROM models WHERE kind = 'policy' AND path IS NOT NULL ORDER BY id DESC LIMIT 1").get() as ModelRow | undefined;
}

export interface EvalRow {
  id: number;
  model_id: number;
  split: string;
  part: string;
  report: string;
  created_at: string;
}

export function insertEval(db: Database.Database, modelId: number, split: string, part: string, report: object): number {
  const info = stmt(db, 'INSERT INTO evals (model_id, split, part, report, created_at) VALUES (?, ?, ?, ?, ?)').run(
    modelId,
    split,
    part,
    JSON.stringify(report),
    nowIso(),
  );
  return Number(info.lastInsertRowid);
}

/** The latest eval per (split, part) of a model. */
export function latestEvals(db: Database.Database, modelId: number): { split: string; part: string; report: Record<string, unknown> }[] {
  const rows = stmt(
    db,
    `SELECT e.* FROM evals e WHERE e.model_id = ? AND e.id = (
       SELECT MAX(id) FROM evals x WHERE x.model_id = e.model_id AND x.split = e.split AND x.part = e.part)
     ORDER BY e.split, e.part`,
  ).all(modelId) as EvalRow[];
  return rows.map((r) => ({ split: r.split, part: r.part, report: parseStored(z.record(z.string(), z.unknown()), r.report, 'eval report', `eval ${r.id}`) ?? {} }));
}

export interface NewPrediction {
  recordId: string;
  emotion: string | null;
  score: number | null;
  emotionScores: Record<string, number>;
  aus: string[];
  reasoning: string;
}

/** Upserts a model's predictions in one transaction, all with one purpose (an eval's outputs are never suggestions). */
export function upsertPredictions(db: Database.Database, modelId: number, preds: NewPrediction[], purpose: PredictionPurpose): void {
  const now = nowIso();
  db.transaction(() => {
    for (const p of preds) upsertPrediction(db, p.recordId, modelId, p, now, purpose);
  })();
}

export function setModelName(db: Database.Database, id: number, name: string): void {
  stmt(db, 'UPDATE models SET name = ? WHERE id = ?').run(name, id);
}

