/**
 * `fea label` as the label form is (`npm run build:node` first): the form's checks printed (and refusing with
 * --strict), every normalisation reported, and an unknown --user refused unless --create-user.
 */
import * as path from 'node:path';
import { openWorkspace } from '../../db/open';
import { listUsers } from '../../db/repositories';
import { tempDir } from '../support/facial-r1';
import { fea as runFea } from '../support/cli';

const fea = (...args: string[]) => runFea(args);
const ws = path.join(tempDir('fea-cli-label-'), 'ws');
let id = '';

beforeAll(() => {
  expect(fea('init', ws, '--demo', '3', '--seed', '4', '--json').code).toBe(0);
  id = fea('records', ws, '--json').json.records[0].id as string;
  expect(fea('label', ws, id, '--emotion', 'fear', '--user', 'dana', '--create-user', '--json').code).toBe(0);
});

const currentEmotion = () => fea('records', ws, '--json').json.records.find((r: { id: string }) => r.id === id).emotion;

test('an unknown --user is refused with the close names, and nothing is written; --create-user creates it', () => {
  const typo = fea('label', ws, id, '--emotion', 'anger', '--user', 'dnaa', '--json');
  expect(typo.code).toBe(2);
  expect(typo.json.error).toMatchObject({ code: 'unknown_user', message: expect.stringMatching(/no profile named "dnaa" \(did you mean "dana"\?\); pass --create-user/) });
  expect(currentEmotion()).toBe('fear');
  const w = openWorkspace(ws);
  try {
    expect(listUsers(w.db).map((u) => u.name)).not.toContain('dnaa');
  } finally {
    w.close();
  }
  expect(fea('label', ws, id, '--emotion', 'anger', '--user', 'dana', '--json').code).toBe(0);
});

test('every normalisation is reported: joy → happiness, au04 → AU4, a repeated AU', () => {
  const r = fea('label', ws, id, '--emotion', 'joy', '--aus', 'au04,AU4,12', '--user', 'dana', '--json');
  expect(r.code).toBe(0);
  expect(r.json.normalised).toEqual([
    { field: 'aus', from: 'au04', to: 'AU4' },
    { field: 'aus', from: 'AU4', to: '(AU4 given twice: once kept)' },
    { field: 'aus', from: '12', to: 'AU12' },
    { field: 'emotion', from: 'joy', to: 'happiness' },
  ]);
  expect(currentEmotion()).toBe('happiness');
  const plain = fea('label', ws, id, '--emotion', 'Happy', '--user', 'dana');
  expect(plain.code).toBe(0);
  expect(plain.stderr).toContain('fea label: --emotion "Happy" → happiness');
});

test("the form's checks are printed; changing only the emotion flags the reasoning that answers another; --strict refuses", () => {
  const reasoning = '<think>The brows are lowered and drawn together (AU4) and the lip corners are pulled up (AU12).</think><answer>happiness</answer>';
  const ok = fea('label', ws, id, '--emotion', 'happiness', '--aus', 'AU4,AU12', '--reasoning', reasoning, '--user', 'dana', '--json');
  expect(ok.code).toBe(0);
  expect(ok.json.checks.map((c: { id: string; ok: boolean }) => [c.id, c.ok])).toEqual([['format', true], ['aus', true], ['answer', true], ['hedges', true]]);

  const onlyEmotion = fea('label', ws, id, '--emotion', 'sadness', '--user', 'dana');
  expect(onlyEmotion.code).toBe(0);
  expect(onlyEmotion.stderr).toContain('fea label: check answer fails: Answer "happiness" differs from "sadness"');
  expect(onlyEmotion.stdout).toMatch(/1 check failing/);

  const strict = fea('label', ws, id, '--emotion', 'anger', '--user', 'dana', '--strict', '--json');
  expect(strict.code).toBe(1);
  expect(strict.json.error).toMatchObject({ code: 'checks_failed', message: expect.stringContaining('answer: Answer "happiness" differs from "anger"') });
  expect(currentEmotion()).toBe('sadness');
});
