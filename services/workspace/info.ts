/** workspace.info and users.*: small reads and writes around the open workspace. */
import * as path from 'node:path';
import type Database from 'better-sqlite3';
import { KEYMAP_COMMANDS } from '../../contract/bounds';
import { ApiError } from '../../contract/dispatch';
import { checkProfileName } from '../../contract/text';
import type { User, WorkspaceInfo } from '../../contract/types';
import { schemaVersion, type Workspace } from '../../db/open';
import { appendAudit, countRecords, getMeta, getSettings, getUser, getUserByName, listUsers, saveSettings, upsertUser, vocabulary } from '../../db/repositories';
import { auName, type UserRole } from '../../pipelines/facs/vocabulary';

export function workspaceInfo(ws: Workspace): WorkspaceInfo {
  const db = ws.db;
  return {
    name: getMeta(db, 'name') ?? path.basename(ws.dir),
    path: ws.dir,
    schemaVersion: schemaVersion(db),
    emotions: vocabulary(db, 'emotion'),
    aus: vocabulary(db, 'au').map((au) => ({ au, name: auName(au) })),
    recordCount: countRecords(db),
    backend: getMeta(db, 'backend') ?? null,
  };
}

export function usersList(db: Database.Database): { users: User[] } {
  return { users: listUsers(db) };
}

/** The name as stored (NFC); the CLI's --user reaches here without the contract's schema, so the rule is applied again. */
function profileName(raw: string): string {
  const c = checkProfileName(raw);
  if (!c.ok) throw new ApiError('invalid_input', `User name ${JSON.stringify(raw)} ${c.reason}`);
  return c.name;
}

export function usersUpsert(db: Database.Database, rawName: string, role: UserRole, actor = 'system'): User {
  const name = profileName(rawName);
  return db.transaction(() => {
    const { user, created, changed } = upsertUser(db, name, role);
    if (changed) appendAudit(db, { actor, action: 'user', entity: 'user', entityId: user.id, detail: { name, role, created } });
    return user;
  }).immediate();
}

/**
 * A new profile; a name that exists already is not changed (its role stays) but answered with `created: false`, so
 * the app can offer to switch to that profile instead of silently changing its role as users.upsert would.
 */
export function usersCreate(db: Database.Database, rawName: string, role: UserRole, actor = 'system'): { user: User; created: boolean } {
  const name = profileName(rawName);
  return db.transaction(() => {
    const existing = getUserByName(db, name);
    if (existing) return { user: existing, created: false };
    return { user: usersUpsert(db, name, role, actor), created: true };
  }).immediate();
}

/** The user of that name (checked and stored as users.upsert would store it), if any. */
export function findUser(db: Database.Database, rawName: string): User | undefined {
  return getUserByName(db, profileName(rawName));
}

/** The user of that name, created with `role` when missing (an existing user keeps its role); a creation is audited as users.upsert audits it. */
export function usersEnsure(db: Database.Database, rawName: string, role: UserRole, actor = 'system'): User {
  const name = profileName(rawName);
  return db.transaction(() => getUserByName(db, name) ?? usersUpsert(db, name, role, actor)).immediate();
}

export function userKeymap(db: Database.Database, userId: number): { keymap: Record<string, string> } {
  if (!getUser(db, userId)) throw new ApiError('not_found', `User ${userId} does not exist`);
  return { keymap: getSettings(db, userId).keymap ?? {} };
}

export function saveUserKeymap(db: Database.Database, userId: number, keymap: Record<string, string>): { keymap: Record<string, string> } {
  return db.transaction(() => {
    if (!getUser(db, userId)) throw new ApiError('not_found', `User ${userId} does not exist`);
    const known = new Set<string>([
      ...KEYMAP_COMMANDS,
      ...vocabulary(db, 'emotion').map((e) => `emotion.${e}`),
      ...vocabulary(db, 'au').map((au) => `au.${au}`),
    ]);
    const unknown = Object.keys(keymap).filter((action) => !known.has(action));
    if (unknown.length) throw new ApiError('invalid_input', `Unknown keymap actions: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''}`);
    saveSettings(db, userId, { ...getSettings(db, userId), keymap });
    return { keymap };
  }).immediate();
}
