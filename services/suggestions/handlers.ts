/**
 * Which model's suggestions annotators see: the face analysis by default, or a trained policy chosen here, and never
 * on a split's held-out records unless that split allows it. Evaluation outputs are never suggestions (their purpose).
 */
import type { ApiHandlers } from '../../contract/api';
import { ApiError } from '../../contract/dispatch';
import type { SuggestionSettings } from '../../contract/types';
import type Database from 'better-sqlite3';
import { appendAudit } from '../../db/repositories/audit';
import { getModel, listModels } from '../../db/repositories/models';
import {
  getSuggestionModel,
  heldOutParts,
  setSplitsAllowingTestSuggestions,
  setSuggestionModel,
  splitsAllowingTestSuggestions,
} from '../../db/repositories/predictions';
import { listSplits } from '../../db/repositories/splits';
import { splitPartNames } from '../../db/repositories/training-data';
import type { ServiceContext } from '../context';
import { suggestionTrust } from './trust';

export type SuggestionMethods = 'suggestions.getSettings' | 'suggestions.saveSettings' | 'suggestions.trust';

export function suggestionSettings(db: Database.Database): SuggestionSettings {
  return {
    modelId: getSuggestionModel(db),
    allowHeldOut: splitsAllowingTestSuggestions(db),
    policies: listModels(db, 'policy')
      .filter((m) => m.path !== null)
      .map((m) => ({ id: m.id, name: m.name, stage: m.stage === 'rl' ? 'rl' : 'sft' })),
    splits: listSplits(db).map((s) => ({ name: s.name, parts: splitPartNames(db, s.name), heldOut: heldOutParts(db, s.name) })),
  };
}

export function saveSuggestionSettings(db: Database.Database, input: { modelId: number | null; allowHeldOut: string[] }, actor = 'app'): SuggestionSettings {
  if (input.modelId !== null) {
    const m = getModel(db, input.modelId);
    if (!m) throw new ApiError('not_found', `model ${input.modelId} does not exist`);
    if (m.kind !== 'policy' || m.path === null) throw new ApiError('invalid_input', `model ${input.modelId} is a ${m.kind}, not a trained policy`);
  }
  const known = new Set(listSplits(db).map((s) => s.name));
  const unknown = input.allowHeldOut.filter((n) => !known.has(n));
  if (unknown.length > 0) throw new ApiError('not_found', `no split named ${unknown.map((n) => `"${n}"`).join(', ')}`);
  db.transaction(() => {
    setSuggestionModel(db, input.modelId);
    setSplitsAllowingTestSuggestions(db, input.allowHeldOut);
    appendAudit(db, { actor, action: 'settings', entity: 'suggestions', detail: { modelId: input.modelId, allowHeldOut: input.allowHeldOut } });
  })();
  return suggestionSettings(db);
}

export function suggestionHandlers(ctx: ServiceContext): Pick<ApiHandlers, SuggestionMethods> {
  const db = ctx.ws.db;
  return {
    'suggestions.getSettings': () => suggestionSettings(db),
    'suggestions.trust': () => suggestionTrust(db),
    'suggestions.saveSettings': (input) => {
      const out = saveSuggestionSettings(db, input);
      // every open label view reloads its record: what it suggests may have changed
      ctx.events.publish({ type: 'records.changed', ids: [], all: true });
      return out;
    },
  };
}
