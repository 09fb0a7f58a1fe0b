/** Read-backs of what the label view wrote: human revisions with their AU marks, a record's current state. */
import type Database from 'better-sqlite3';

export interface RevisionRow {
  id: number;
  record_id: string;
  emotion: string | null;
  reasoning: string;
  author: string;
  kind: string;
  parent_prediction_id: number | null;
  aus: string;
}

export function humanRevisions(db: Database.Database, recordId?: string): RevisionRow[] {
  return db
    .prepare(
      `SELECT r.id, r.record_id, r.emotion, r.reasoning, u.name AS author, r.kind, r.parent_prediction_id,
              COALESCE((SELECT group_concat(au || COALESCE(intensity, '') || COALESCE(':' || side, ''), ' ')
                        FROM (SELECT * FROM revision_aus a WHERE a.revision_id = r.id ORDER BY CAST(substr(au, 3) AS INTEGER))), '') AS aus
         FROM revisions r JOIN users u ON u.id = r.author_id
        WHERE r.kind = 'human' ${recordId ? 'AND r.record_id = ?' : ''}
        ORDER BY r.id`,
    )
    .all(...(recordId ? [recordId] : [])) as RevisionRow[];
}

export function currentOf(db: Database.Database, recordId: string): { current_revision_id: number | null; emotion: string | null; status: string } {
  return db.prepare('SELECT current_revision_id, emotion, status FROM records WHERE id = ?').get(recordId) as { current_revision_id: number | null; emotion: string | null; status: string };
}

