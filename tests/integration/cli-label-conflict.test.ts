/** `fea label` checks its answer against the revision it was based on (`npm run build:node` first). */
import * as path from 'node:path';
import { tempDir } from '../support/facial-r1';
import { fea as runFea } from '../support/cli';

const fea = (...args: string[]) => runFea(args);

test('fea label --base: another current revision is refused as a conflict naming it, nothing is written', () => {
  const ws = path.join(tempDir('fea-cli-conflict-'), 'ws');
  expect(fea('init', ws, '--demo', '3', '--seed', '2', '--json').code).toBe(0);
  const id = fea('records', ws, '--json').json.records[0].id as string;
  const bob = fea('label', ws, id, '--emotion', 'sadness', '--user', 'bob', '--create-user', '--json');
  expect(bob.code).toBe(0);
  const read = bob.json.revisionId as number;
  const carol = fea('label', ws, id, '--emotion', 'anger', '--user', 'carol', '--create-user', '--base', String(read), '--json');
  expect(carol.code).toBe(0);
  // Dana read bob's revision, carol answered since: dana's stale answer is refused with carol's revision named.
  const dana = fea('label', ws, id, '--emotion', 'fear', '--user', 'dana', '--create-user', '--base', String(read), '--json');
  expect(dana.code).toBe(1);
  expect(dana.json.error.code).toBe('conflict');
  expect(dana.stderr).toMatch(new RegExp(`revision ${carol.json.revisionId} by carol`));
  const rec = fea('records', ws, '--json').json.records.find((r: { id: string }) => r.id === id);
  expect(rec.emotion).toBe('anger');
  expect(fea('label', ws, id, '--emotion', 'fear', '--user', 'dana', '--base', 'x1').code).toBe(2);
});
