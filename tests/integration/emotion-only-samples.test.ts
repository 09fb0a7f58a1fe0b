/**
 * SftConfig.headFitEmotionOnly's data: the training part's records that carry an emotion the run's own samples do not
 * hold (weak records, which no snapshot carries) come back as samples without reasoning or AUs, for the emotion head
 * alone; records of other parts (the test part) and records without an emotion never do.
 */
import * as path from 'node:path';
import { openWorkspace } from '../../db/open';
import { insertSplit } from '../../db/repositories/splits';
import { loadEmotionOnlySamples } from '../../services/training/dataset';
import { tempDir } from '../support/facial-r1';
import { addImageRecord } from '../support/image-record';
import { makePng } from '../support/png';

test('the training part’s emotion-labelled records outside the run come back as emotion-only samples; the test part never does', async () => {
  const ws = openWorkspace(path.join(tempDir(), 'ws'), { create: true });
  try {
    const add = (name: string, seed: number, opts: { emotion?: string; status?: string }) => addImageRecord(ws, `${name}.png`, makePng(seed), { subject: name.slice(0, 2), ...opts }).recordId;
    const inSnapshot = add('s1-reviewed', 1, { emotion: 'happiness', status: 'reviewed' });
    const weakTrain = add('s2-weak', 2, { emotion: 'anger', status: 'weak' });
    const labeledTrain = add('s3-labeled', 3, { emotion: 'sadness', status: 'labeled' });
    const unlabeledTrain = add('s4-unlabeled', 4, {});
    const weakTest = add('s5-weak-test', 5, { emotion: 'fear', status: 'weak' });
    ws.db.transaction(() =>
      insertSplit(ws.db, 'main', {}, {}, [
        [inSnapshot, 'train'],
        [weakTrain, 'train'],
        [labeledTrain, 'train'],
        [unlabeledTrain, 'train'],
        [weakTest, 'test'],
      ]),
    )();
    const opts = { exclude: new Set([inSnapshot]), imageSize: 16, descriptorDim: 0, expressionDim: 0 };
    const got = await loadEmotionOnlySamples(ws, 'main', 'train', opts);
    expect(got.map((s) => [s.recordId, s.emotion, s.reasoning, s.aus])).toEqual([
      [weakTrain, 'anger', '', []],
      [labeledTrain, 'sadness', '', []],
    ]);
    expect(got.every((s) => s.pixels.length === 16 * 16)).toBe(true);
    expect(await loadEmotionOnlySamples(ws, 'no-such-split', 'train', opts)).toEqual([]);
  } finally {
    ws.close();
  }
});
