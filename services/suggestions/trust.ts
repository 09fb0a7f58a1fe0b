/**
 * How far the label view's suggestions can be trusted: the source chosen in settings, each record's suggestion composed
 * as the label view shows it, against the current human labels. Measured on every such record (held-out parts too:
 * this scores the suggestions annotators see, not a model's generalisation); the count is part of the answer.
 */
import type Database from 'better-sqlite3';
import type { SuggestionTrust } from '../../contract/types';
import { getSuggestionModel, suggestionsOnHumanLabels, type LabeledSuggestionRowDb } from '../../db/repositories/predictions';
import { f1 } from '../../pipelines/eval/metrics';
import { composeSuggestion } from '../analysis/overlay';

export function suggestionTrust(db: Database.Database): SuggestionTrust {
  const modelId = getSuggestionModel(db);
  const byRecord = new Map<string, LabeledSuggestionRowDb[]>();
  for (const row of suggestionsOnHumanLabels(db, modelId)) {
    const list = byRecord.get(row.record_id);
    if (list) list.push(row);
    else byRecord.set(row.record_id, [row]);
  }
  let acceptedFrom = 0;
  let emotionN = 0;
  let emotionRight = 0;
  let ausN = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const rows of byRecord.values()) {
    const s = composeSuggestion(rows)!;
    const label = rows[0];
    if (label.label_parent_prediction_id === s.predictionId) acceptedFrom++;
    if (label.label_emotion !== null && s.emotion !== null) {
      emotionN++;
      if (label.label_emotion === s.emotion) emotionRight++;
    }
    if (s.aus.length > 0) {
      ausN++;
      const gold = new Set(label.label_aus.split(' ').filter(Boolean));
      const predicted = new Set(s.aus.filter((a) => a.present).map((a) => a.au));
      for (const au of predicted) if (gold.has(au)) tp++;
      else fp++;
      for (const au of gold) if (!predicted.has(au)) fn++;
    }
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  return {
    modelId,
    records: byRecord.size,
    acceptedFrom,
    emotion: emotionN > 0 ? { n: emotionN, accuracy: emotionRight / emotionN } : null,
    aus: ausN > 0 ? { n: ausN, f1: f1(tp, fp, fn), precision, recall } : null,
  };
}
