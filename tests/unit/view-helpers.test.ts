/** The views' pure helpers: how trainer metric keys become curves, how outputs are marked, how progress is laid out. */
import { progressSeries } from '../../renderer/src/dashboard/progressSeries';
import { direction, markerLabelSide } from '../../renderer/src/training/runResult';
import { metricPanels, mergePoints, rateAxisMax } from '../../renderer/src/training/metricPanels';
import { outputSegments, sampleMarks } from '../../renderer/src/training/sampleMarks';

describe('view helpers', () => {
  test('metric keys in any naming style land in the right panels; unknown keys get their own', () => {
    const panels = metricPanels(['loss', 'val_loss', 'reward/format', 'rewardAccuracy', 'reward_au', 'reward', 'klMean', 'clipFraction', 'tokens_per_sec', 'gradNorm', 'step'], 'rl');
    const byId = Object.fromEntries(panels.map((p) => [p.id, p.series.map((s) => `${s.label}=${s.key}`)]));
    expect(byId).toEqual({
      loss: ['train=loss', 'val=val_loss'],
      reward: ['format=reward/format', 'accuracy=rewardAccuracy', 'au=reward_au', 'total=reward'],
      kl: ['KL=klMean'],
      clip: ['clipped=clipFraction'],
      tps: ['tokens/s=tokens_per_sec'],
      'extra:gradNorm': ['gradNorm=gradNorm'],
    });
    // In SFT a bare "accuracy" is not a reward.
    expect(metricPanels(['loss', 'accuracy'], 'sft').map((p) => p.id)).toEqual(['loss', 'extra:accuracy']);
  });

  test('live points merge by step', () => {
    const merged = mergePoints([{ step: 1, values: { loss: 2 } }, { step: 2, values: { loss: 1.5 } }], [{ step: 2, values: { valLoss: 1.7 } }, { step: 3, values: { loss: 1.2 } }]);
    expect(merged).toEqual([{ step: 1, values: { loss: 2 } }, { step: 2, values: { loss: 1.5, valLoss: 1.7 } }, { step: 3, values: { loss: 1.2 } }]);
  });

  test('sample marks: answer, AUs hit, hallucinated and missed, as Facial-R1 parses them', () => {
    const out = '<think>Brows lowered (AU4), lips tightened (AU23) and cheeks raised (AU6).</think><answer>anger</answer>';
    expect(sampleMarks(out, { emotion: 'anger', aus: ['AU4', 'AU5', 'AU23'] })).toEqual({ formatOk: true, answer: 'anger', emotionOk: true, hit: ['AU4', 'AU23'], extra: ['AU6'], missed: ['AU5'] });
    expect(sampleMarks('<think>x</think><answer>fear, maybe</answer>', { emotion: 'anger', aus: [] }).emotionOk).toBe(false);
    expect(outputSegments(out, ['AU4']).filter((s) => s.kind.startsWith('au')).map((s) => `${s.text}:${s.kind}`)).toEqual(['AU4:au-hit', 'AU23:au-extra', 'AU6:au-extra']);
  });

  test('progress: gap days filled with zeros, running total, short histories padded', () => {
    const s = progressSeries([{ day: '2026-11-20', count: 2 }, { day: '2026-11-22', count: 3 }], 366, 3);
    expect(s).toEqual([
      { day: '2026-11-20', count: 2, cumulative: 2 },
      { day: '2026-11-21', count: 0, cumulative: 2 },
      { day: '2026-11-22', count: 3, cumulative: 5 },
    ]);
    expect(progressSeries([{ day: '2026-11-29', count: 1 }]).length).toBe(14);
  });

  test('run result: direction as shown (rounding hides no change), marker label kept inside the plot', () => {
    expect([direction(2.631, 2.661), direction(0.963, 0.889), direction(2.7681, 2.7684), direction(1, 1)]).toEqual(['up', 'down', 'same', 'same']);
    expect(direction(0.5, 0.5004, 4)).toBe('up');
    expect([markerLabelSide(2, 1, 60), markerLabelSide(58, 1, 60), markerLabelSide(1, 1, 1)]).toEqual(['insideTopLeft', 'insideTopRight', 'insideTopLeft']);
  });

  test('rate axes end at the largest value rounded up to one digit, and at 1 when every value is 0', () => {
    expect([rateAxisMax(7.85e-4), rateAxisMax(0.93), rateAxisMax(0.3), rateAxisMax(1), rateAxisMax(0), rateAxisMax(Number.NaN)]).toEqual([
      8e-4, 1, 0.3, 1, 1, 1,
    ]);
  });
});
