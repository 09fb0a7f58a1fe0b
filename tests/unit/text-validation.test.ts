/** Text that is not what it seems, drafts that submit would refuse, and unbounded keymaps: refused at the contract and the services. */
import * as path from 'node:path';
import { KEYMAP_COMMANDS } from '../../contract/bounds';
import { dispatch } from '../../contract/dispatch';
import { checkProfileName, escapeForTerminal } from '../../contract/text';
import { openWorkspace, type Workspace } from '../../db/open';
import { getDraft, insertImage, insertRecord, listUsers } from '../../db/repositories';
import { LABEL_COMMANDS } from '../../renderer/src/keymap/keymap';
import { createContext } from '../../services/context';
import { createHandlers } from '../../services/handlers';
import { boundEvent } from '../../services/events';
import { usersEnsure } from '../../services/workspace/info';
import { tempDir } from '../support/facial-r1';

function setup(): { ws: Workspace; h: ReturnType<typeof createHandlers> } {
  const ws = openWorkspace(path.join(tempDir(), 'ws'), { create: true });
  const img = insertImage(ws.db, { sha256: '1'.padStart(64, '0'), ext: 'png', width: 8, height: 8, originalName: '1.png', subject: 's1' });
  insertRecord(ws.db, { id: 'r1', imageId: img.id, source: 'A' });
  return { ws, h: createHandlers(createContext(ws)) };
}

describe('profile names', () => {
  test.each([
    ['NUL', 'ann\u0000a'],
    ['an ANSI escape', 'ann\u001b[31ma'],
    ['a newline', 'ann\na'],
    ['a bidi override', 'ann\u202Enimda'],
    ['a bidi isolate', 'ann\u2067a'],
    ['a direction mark', 'ann\u200Fa'],
    ['only zero-width characters', '\u200B\u200C\u200D'],
    ['only a BOM and spaces', '\uFEFF  '],
    ['a lone surrogate', 'ann\uD800'],
  ])('refuses %s', (_what, name) => {
    expect(checkProfileName(name).ok).toBe(false);
  });

  test('NFD and NFC twins are one name, stored NFC', () => {
    const nfd = 'Jose\u0301';
    expect(checkProfileName(nfd)).toEqual({ ok: true, name: 'Jos\u00e9' });
  });

  test('users.upsert refuses disguised names and merges NFC/NFD twins; the CLI path (usersEnsure) applies the same rule', async () => {
    const { ws, h } = setup();
    const bidi = await dispatch(h, 'users.upsert', { name: 'ann\u202Enimda', role: 'annotator' });
    expect(bidi).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const invisible = await dispatch(h, 'users.upsert', { name: '\u200B', role: 'annotator' });
    expect(invisible).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const a = await dispatch(h, 'users.upsert', { name: 'Jos\u00e9', role: 'annotator' });
    const b = await dispatch(h, 'users.upsert', { name: 'Jose\u0301', role: 'annotator' });
    expect(a.ok && b.ok && (a.value as { id: number }).id === (b.value as { id: number }).id).toBe(true);
    expect(() => usersEnsure(ws.db, 'evil\u001b[2J', 'annotator')).toThrow(/control character/);
    expect(listUsers(ws.db).filter((u) => u.name.startsWith('Jos'))).toHaveLength(1);
  });
});

describe('ill-formed strings', () => {
  test('a lone surrogate in any string field or key is refused with its path', async () => {
    const { h } = setup();
    const res = await dispatch(h, 'annotations.submit', { recordId: 'r1', userId: 1, emotion: null, aus: [], reasoning: 'ok \uDC00 not' });
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(!res.ok && res.error.message).toContain('reasoning');
    const key = await dispatch(h, 'records.query', { filter: { search: 'x\uD83D' } });
    expect(key).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    // a well-formed pair (an emoji) is fine
    const emoji = await dispatch(h, 'records.query', { filter: { search: '\uD83D\uDE00' } });
    expect(emoji.ok).toBe(true);
  });
});

describe('terminal escaping', () => {
  test('controls, ESC, bidi and zero-width characters become visible escapes; plain text is unchanged', () => {
    expect(escapeForTerminal('r1\n2026-01-01 forged')).toBe('r1\\u{A}2026-01-01 forged');
    expect(escapeForTerminal('\u001b[31mred')).toBe('\\u{1B}[31mred');
    expect(escapeForTerminal('ann\u202Enimda')).toBe('ann\\u{202E}nimda');
    expect(escapeForTerminal('a\u200Bb')).toBe('a\\u{200B}b');
    expect(escapeForTerminal('Jos\u00e9 😀 日本')).toBe('Jos\u00e9 😀 日本');
  });
});

describe('drafts are validated like submits', () => {
  test.each([
    ['an unknown emotion', { emotion: 'bogus' }, 'invalid_label'],
    ['an unknown AU', { aus: [{ au: 'AU99' }] }, 'invalid_label'],
    ['a missing prediction', { parentPredictionId: 999 }, 'not_found'],
  ])('drafts.save refuses %s, as submit does, and stores nothing', async (_what, change, code) => {
    const { ws, h } = setup();
    const body = { recordId: 'r1', userId: 1, emotion: 'anger', aus: [{ au: 'AU4' }], reasoning: 'draft', parentPredictionId: null, ...change };
    expect(await dispatch(h, 'drafts.save', body)).toMatchObject({ ok: false, error: { code } });
    expect(await dispatch(h, 'annotations.submit', body)).toMatchObject({ ok: false, error: { code } });
    expect(getDraft(ws.db, 'r1', 1)).toBeNull();
  });

  test('a valid draft is saved with its emotion normalised as submit stores it', async () => {
    const { ws, h } = setup();
    expect((await dispatch(h, 'drafts.save', { recordId: 'r1', userId: 1, emotion: 'Happy', aus: [{ au: 'AU12' }], reasoning: 'd' })).ok).toBe(true);
    expect(getDraft(ws.db, 'r1', 1)).toMatchObject({ emotion: 'happiness' });
  });
});

describe('keymap settings are bounded', () => {
  test('known actions save; unknown actions, too many keys and over-long names are refused', async () => {
    const { h } = setup();
    const ok = await dispatch(h, 'users.saveSettings', { userId: 1, keymap: { submit: 'ctrl+s', 'emotion.anger': '9', 'au.AU12': 'p' } });
    expect(ok.ok).toBe(true);
    expect(await dispatch(h, 'users.saveSettings', { userId: 1, keymap: { launchMissiles: 'x' } })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await dispatch(h, 'users.saveSettings', { userId: 1, keymap: { 'emotion.bogus': 'x' } })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const many = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`a${'x'.repeat(i % 50)}${i}`, 'k']));
    expect(await dispatch(h, 'users.saveSettings', { userId: 1, keymap: many })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await dispatch(h, 'users.saveSettings', { userId: 1, keymap: { ['a'.repeat(100_000)]: 'k' } })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await dispatch(h, 'users.saveSettings', { userId: 1, keymap: { submit: 'k'.repeat(33) } })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  test("the contract's command list is the label view's", () => {
    expect([...KEYMAP_COMMANDS].sort()).toEqual(LABEL_COMMANDS.map((c) => c.id).sort());
  });
});

describe('events stay small', () => {
  test('a records.changed with a huge id or many ids becomes "all changed"; small ones pass unchanged', () => {
    expect(boundEvent({ type: 'records.changed', ids: ['x'.repeat(300_000)] })).toEqual({ type: 'records.changed', ids: [], all: true });
    const many = Array.from({ length: 5000 }, (_, i) => `r${i}`);
    expect(boundEvent({ type: 'records.changed', ids: many })).toEqual({ type: 'records.changed', ids: [], all: true });
    expect(boundEvent({ type: 'records.changed', ids: ['r1'] })).toEqual({ type: 'records.changed', ids: ['r1'] });
    const job = { id: 'j', kind: 'import' as const, status: 'running' as const, done: 0, total: 1, message: 'm'.repeat(100_000), startedAt: '' };
    const bounded = boundEvent({ type: 'job.progress', job });
    expect(bounded.type === 'job.progress' && bounded.job.message.length).toBeLessThanOrEqual(500);
  });
});
