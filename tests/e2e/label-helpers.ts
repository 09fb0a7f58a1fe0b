/** Shared steps of the label-view specs: a signed-in annotator, form reads, DB read-backs. */
import type Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import type { E2EContext } from './harness';

/** Creates (or reuses) a profile through the API and makes the page start signed in as it. */
export async function signInAs(ctx: E2EContext, name: string): Promise<number> {
  const res = await ctx.api<{ id: number }>('users.upsert', { name, role: 'annotator' });
  if (!res.ok) throw new Error(`users.upsert failed: ${res.error.message}`);
  const id = res.value.id;
  await ctx.page.addInitScript((userId) => localStorage.setItem('fea.userId', String(userId)), id);
  return id;
}

export async function formState(page: Page): Promise<{ emotion: string | null; aus: string[]; reasoning: string }> {
  return page.evaluate(() => {
    const emotion = document.querySelector('[data-testid^="emotion-"][data-selected="true"]')?.getAttribute('data-testid')?.slice('emotion-'.length) ?? null;
    const aus = [...document.querySelectorAll('[data-testid^="au-AU"][data-selected="true"]')].map((el) => el.getAttribute('data-testid')!.slice(3));
    const reasoning = (document.querySelector('[data-testid="reasoning"]') as HTMLTextAreaElement).value;
    return { emotion, aus, reasoning };
  });
}

export async function checks(page: Page): Promise<Record<string, boolean>> {
  return page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll('[data-testid^="check-"][data-ok]')].map((el) => [el.getAttribute('data-testid')!.slice(6), el.getAttribute('data-ok') === 'true']),
    ),
  );
}

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

/** Submits are written in the background while the next record shows; Recent lists one once it is stored. */
export async function waitForDecisions(page: Page, recordId: string, count = 1): Promise<void> {
  await page.waitForFunction(
    ({ id, n }) => document.querySelectorAll(`[data-testid="recent-item"][data-record-id="${id}"]`).length >= n,
    { id: recordId, n: count },
  );
}
