/** The `fea` command prints user-controlled text escaped, and refuses disguised user names (through bin/fea.js). */
import * as path from 'node:path';
import { openWorkspace } from '../../db/open';
import { insertImage, insertRecord } from '../../db/repositories';
import { fea } from '../support/cli';
import { tempDir } from '../support/facial-r1';

const ws = path.join(tempDir('fea-cli-text-'), 'ws');
const EVIL_ID = 'r1\u001b[2J\n2026-01-01 fea: forged line\u202E';

beforeAll(() => {
  const w = openWorkspace(ws, { create: true });
  const img = insertImage(w.db, { sha256: 'b'.padStart(64, '0'), ext: 'png', width: 8, height: 8, originalName: 'x.png', subject: 's\u001b]0;title\u0007' });
  insertRecord(w.db, { id: EVIL_ID, imageId: img.id, source: 'A' });
  w.close();
});

test('fea records escapes control, ESC and bidi characters in ids and subjects; --json keeps the exact text', () => {
  const plain = fea(['records', ws]);
  expect(plain.code).toBe(0);
  for (const c of ['\u001b', '\u0007', '\u202E']) expect(plain.stdout).not.toContain(c);
  expect(plain.stdout.trim().split('\n')).toHaveLength(1);
  expect(plain.stdout).toContain('r1\\u{1B}[2J\\u{A}2026-01-01 fea: forged line\\u{202E}');
  const json = fea(['records', ws, '--json']);
  expect(json.json.records[0].id).toBe(EVIL_ID);
});

test('an error message naming user text is escaped on stderr', () => {
  const r = fea(['label', ws, 'nope\u001b[31m', '--emotion', 'anger', '--user', 'kim']);
  expect(r.code).not.toBe(0);
  expect(r.stderr).not.toContain('\u001b');
  expect(r.stderr).toContain('\\u{1B}');
});

test('fea label --user refuses a bidi override or an invisible name', () => {
  const bidi = fea(['label', ws, EVIL_ID, '--emotion', 'anger', '--user', 'ann\u202Enimda', '--json']);
  expect(bidi.code).toBe(2);
  expect(bidi.json.error.code).toBe('invalid_input');
  expect(fea(['label', ws, EVIL_ID, '--emotion', 'anger', '--user', '\u200B\u200B']).code).toBe(2);
});
