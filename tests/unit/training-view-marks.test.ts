/** The training view's pure helpers: metric panels in a training and an engine group, and AU chips that match their counters. */
import { keyTitle, metricPanels, panelGroups } from '../../renderer/src/training/metricPanels';
import { outputSegments, sampleMarks, type OutputSegment } from '../../renderer/src/training/sampleMarks';

describe('metric panels', () => {
  test("the trainers' debug metrics are in an engine group, with titles like the others", () => {
    const sft = ['loss', 'lmLoss', 'emotionLoss', 'auLoss', 'lr', 'epoch', 'tokensPerSec', 'seqPerSec', 'valLoss', 'valLmLoss', 'valEmotionAcc', 'numTensors'];
    const groups = panelGroups(metricPanels(sft, 'sft'));
    expect(groups.map((g) => [g.title, g.panels.map((p) => p.title)])).toEqual([
      ['Training', ['Loss', 'Loss components', 'Validation emotion accuracy', 'Learning rate', 'Epoch']],
      ['Engine', ['Tokens / s', 'Sequences / s', 'Live tensors']],
    ]);
    const rl = ['loss', 'reward', 'rewardStd', 'kl', 'clipFraction', 'ratioMean', 'completionLength', 'lr', 'tokensPerSec', 'rolloutsPerSec', 'generationSeconds', 'numTensors'];
    const engine = panelGroups(metricPanels(rl, 'rl')).find((g) => g.group === 'engine')!;
    expect(engine.panels.map((p) => `${p.title}: ${p.series.map((s) => s.key).join(',')}`)).toEqual([
      'Tokens / s: tokensPerSec',
      'Sequences / s: rolloutsPerSec',
      'Generation time (s): generationSeconds',
      'Live tensors: numTensors',
    ]);
    // nothing of either trainer is left to a raw-key panel
    expect(metricPanels([...sft, ...rl], 'rl').filter((p) => p.id.startsWith('extra:'))).toEqual([]);
  });

  test('a key no panel knows gets a title written like the others, in the training group', () => {
    expect(keyTitle('gradNorm')).toBe('Grad norm');
    expect(keyTitle('grad_norm')).toBe('Grad norm');
    expect(keyTitle('val/AU_f1')).toBe('Val AU f1');
    const [p] = metricPanels(['gradNorm'], 'sft');
    expect(p).toMatchObject({ id: 'extra:gradNorm', title: 'Grad norm', group: 'training' });
    expect(panelGroups([]).length).toBe(0);
  });
});

describe('sample outputs: AU chips agree with the counters', () => {
  const chips = (segments: OutputSegment[], kind: OutputSegment['kind']) => segments.filter((s) => s.kind === kind).map((s) => s.text.toUpperCase());

  function expectAgreement(output: string, labelAUs: string[]) {
    const marks = sampleMarks(output, { emotion: 'anger', aus: labelAUs });
    const segments = outputSegments(output, labelAUs);
    expect(chips(segments, 'au-hit').sort()).toEqual([...marks.hit].sort());
    expect(chips(segments, 'au-extra').sort()).toEqual([...marks.extra].sort());
    return { marks, segments };
  }

  test('an AU in the answer is neither counted nor coloured (the cause: chips were coloured over the whole text)', () => {
    const { marks, segments } = expectAgreement('<think>Brows lowered (AU4).</think><answer>anger AU23</answer>', ['AU4', 'AU23']);
    expect(marks).toMatchObject({ hit: ['AU4'], extra: [], missed: ['AU23'] });
    expect(chips(segments, 'au-unscored')).toEqual(['AU23']);
  });

  test('an AU named twice is one chip, as it is one count', () => {
    const { marks, segments } = expectAgreement('<think>AU6 and AU12, so AU12 again; AU9 too.</think><answer>anger</answer>', ['AU12']);
    expect(marks).toMatchObject({ hit: ['AU12'], extra: ['AU6', 'AU9'] });
    expect(chips(segments, 'au-repeat')).toEqual(['AU12']);
  });

  test('only the first <think> counts; an output without one counts its whole text; an unclosed one counts nothing', () => {
    expectAgreement('<think>AU4</think><think>AU5</think><answer>anger</answer>', ['AU5']);
    expect(chips(outputSegments('<think>AU4</think><think>AU5</think><answer>anger</answer>', ['AU5']), 'au-unscored')).toEqual(['AU5']);
    const bare = expectAgreement('anger because AU4 and au7', ['AU4']);
    expect(bare.marks).toMatchObject({ hit: ['AU4'], extra: ['AU7'] });
    const unclosed = expectAgreement('<think>AU4 AU5', ['AU4']);
    expect(unclosed.marks).toMatchObject({ hit: [], extra: [], missed: ['AU4'] });
  });
});
