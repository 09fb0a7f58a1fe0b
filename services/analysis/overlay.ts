/** Reads the analysis overlay and the model suggestion for the label view. */
import type Database from 'better-sqlite3';
import type { AnalysisOverlay, Suggestion } from '../../contract/types';

export function loadOverlay(_db: Database.Database, _imageId: number): AnalysisOverlay | null {
  return null;
}

export function loadSuggestion(_db: Database.Database, _recordId: string): Suggestion | null {
  return null;
}
