/** Users: name, role, and a settings JSON (the keymap lives there). */
import type Database from 'better-sqlite3';
import { z } from 'zod';
import type { UserRole } from '../../pipelines/facs/vocabulary';
import { nowIso, parseStored, stmt } from './statements';

export interface UserRow {
  id: number;
  name: string;
  role: UserRole;
}

/** A user's settings: the keymap, and what other features keep there (checked by their own readers). */
const UserSettingsSchema = z.object({ keymap: z.record(z.string(), z.string()).optional() }).catchall(z.unknown());
export type UserSettings = z.infer<typeof UserSettingsSchema>;

export const SYSTEM_USER = 'system';

export function listUsers(db: Database.Database): UserRow[] {
  return stmt(db, 'SELECT id, name, role FROM users ORDER BY name').all() as UserRow[];
}

export function getUser(db: Database.Database, id: number): UserRow | undefined {
  return stmt(db, 'SELECT id, name, role FROM users WHERE id = ?').get(id) as UserRow | undefined;
}

export function getUserByName(db: Database.Database, name: string): UserRow | undefined {
  return stmt(db, 'SELECT id, name, role FROM users WHERE name = ?').get(name) as UserRow | undefined;
}

/** Creates the user, or changes the role of an existing one. Returns the row and whether anything changed. */
export function upsertUser(db: Database.Database, name: string, role: UserRole): { user: UserRow; created: boolean; changed: boolean } {
  const existing = getUserByName(db, name);
  if (existing) {
    if (existing.role === role) return { user: existing, created: false, changed: false };
    stmt(db, 'UPDATE users SET role = ? WHERE id = ?').run(role, existing.id);
    return { user: { ...existing, role }, created: false, changed: true };
  }
  const info = stmt(db, 'INSERT INTO users (name, role, created_at) VALUES (?, ?, ?)').run(name, role, nowIso());
  return { user: { id: Number(info.lastInsertRowid), name, role }, created: true, changed: true };
}

/** Returns the user by name, creating it with the given role when missing (role of an existing user is kept). */
function ensureUser(db: Database.Database, name: string, role: UserRole = 'annotator'): { user: UserRow; created: boolean } {
  const existing = getUserByName(db, name);
  if (existing) return { user: existing, created: false };
  const { user } = upsertUser(db, name, role);
  return { user, created: true };
}

export function systemUserId(db: Database.Database): number {
  return ensureUser(db, SYSTEM_USER, 'admin').user.id;
}

export function getSettings(db: Database.Database, userId: number): UserSettings {
  const row = stmt(db, 'SELECT settings FROM users WHERE id = ?').get(userId) as { settings: string } | undefined;
  return parseStored(UserSettingsSchema, row?.settings, 'settings', `user ${userId}`) ?? {};
}

export function saveSettings(db: Database.Database, userId: number, settings: UserSettings): void {
  stmt(db, 'UPDATE users SET settings = ? WHERE id = ?').run(JSON.stringify(settings), userId);
}
