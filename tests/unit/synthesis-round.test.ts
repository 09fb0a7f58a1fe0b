import { checkReasoning } from '../../pipelines/facs/reasoning';
import {
  applyQuota,
  balanceReport,
  evaluateCandidate,
  flaggedAUClaims,
  parseQuota,
  round0Candidate,
  selfConsistency,
  type Outcome,
  UNPARSED_CLASS,
} from '../../pipelines/synthesis';

const out = (emotion: string, aus: string[]) => `<think>${aus.map((a) => `movement (${a})`).join(' and ') || 'calm'} shows ${emotion}.</think><answer>${emotion}</answer>`;

describe('self-consistency', () => {
  test('the modal (emotion, AU set) pair wins and its share is the agreement', () => {
    const samples = [out('happiness', ['AU6', 'AU12']), out('happiness', ['AU12', 'AU6']), out('happiness', ['AU12']), out('sadness', ['AU15']), out('happiness', ['AU6', 'AU12'])];
    const r = selfConsistency(samples);
    expect(r.emotion).toBe('happiness');
    expect(r.aus).toEqual(['AU6', 'AU12']);
    expect(r.agreement).toBeCloseTo(3 / 5);
    expect(r.emotionAgreement).toBeCloseTo(4 / 5);
    expect(r.auAgreement).toBeCloseTo(3 / 5);
    expect(r.distinct).toBe(3);
    expect([0, 1, 4]).toContain(r.index);
  });

  test('the best-scoring sample of the pair is chosen: a well-formed one over one with text after </answer>', () => {
    const good = out('anger', ['AU4']);
    const r = selfConsistency([`${good} trailing`, good]);
    expect(r.index).toBe(1);
    expect(r.agreement).toBe(1);
  });
});

describe('round 0', () => {
  test('known emotion + present AU estimates give a reasoning that passes the editor checks and the filter', () => {
    const c = round0Candidate({ emotion: 'happiness', aus: [], expressions: { happiness: 0.9, neutral: 0.1 }, presentAUs: ['AU12', 'AU6'] });
    expect(c.target).toEqual({ emotion: 'happiness', aus: ['AU6', 'AU12'], emotionFrom: 'label', ausFrom: 'analysis' });
    expect(checkReasoning(c.output, 'happiness', c.target.aus).every((k) => k.ok)).toBe(true);
    expect(evaluateCandidate(c.output, c.target).pass).toBe(true);
    expect(c.agreement).toBeCloseTo(0.9);
  });

  test('unlabeled: the analysis predicts the emotion; a neutral face names no AUs; nothing analysed still gives a candidate', () => {
    const u = round0Candidate({ emotion: null, aus: [], expressions: { neutral: 0.7, sadness: 0.3 }, presentAUs: ['AU4'] });
    expect(u.target).toMatchObject({ emotion: 'neutral', aus: [], emotionFrom: 'analysis' });
    expect(checkReasoning(u.output, 'neutral', []).every((k) => k.ok)).toBe(true);
    const none = round0Candidate({ emotion: null, aus: [], expressions: {}, presentAUs: [] });
    expect(none.target.emotionFrom).toBe('none');
    expect(evaluateCandidate(none.output, none.target).pass).toBe(true);
  });

  test('AUs only: the known AUs are kept and the analysis supplies the emotion', () => {
    const c = round0Candidate({ emotion: null, aus: ['AU4', 'AU7'], expressions: { anger: 0.6, disgust: 0.4 }, presentAUs: ['AU12'] });
    expect(c.target).toMatchObject({ emotion: 'anger', aus: ['AU4', 'AU7'], ausFrom: 'label', emotionFrom: 'analysis' });
    expect(checkReasoning(c.output, 'anger', ['AU4', 'AU7']).every((k) => k.ok)).toBe(true);
  });
});

describe('candidate checks', () => {
  const target = { emotion: 'anger', aus: ['AU4', 'AU7'], emotionFrom: 'label', ausFrom: 'label' } as const;
  test('each filter check is named; the reward breakdown is against the target', () => {
    const e = evaluateCandidate(out('anger', ['AU4']), { ...target, aus: [...target.aus] });
    expect(e.pass).toBe(false);
    expect(e.checks.find((c) => c.id === 'aus')).toMatchObject({ pass: false });
    expect(e.checks.find((c) => c.id === 'emotion')).toMatchObject({ pass: true });
    expect(e.reward.accuracy).toBe(1);
    expect(e.reward.au).toBeCloseTo(2 * (2 / 3) - 1);
  });

  test('AU claims the estimator scores absent are flagged; AUs it does not measure are not', () => {
    const est = { AU4: { present: false }, AU7: { present: true } };
    expect(flaggedAUClaims(out('anger', ['AU4', 'AU7', 'AU23']), est)).toEqual(['AU4']);
  });
});

describe('balance report, bias flag and quotas', () => {
  const outcomes: Outcome[] = [
    ...Array.from({ length: 10 }, (_, i) => ({ id: i + 1, emotion: 'happiness', kept: i < 8, agreement: i / 10 })),
    ...Array.from({ length: 10 }, (_, i) => ({ id: i + 11, emotion: 'anger', kept: i < 2, agreement: 0.5 + i / 100 })),
    ...Array.from({ length: 4 }, (_, i) => ({ id: i + 21, emotion: 'sadness', kept: i < 3, agreement: 0.9 - i / 10 })),
  ];
  test('per class input, kept and kept rate; a class below half the overall rate is flagged', () => {
    const r = balanceReport(outcomes);
    expect(r.candidates).toBe(24);
    expect(r.kept).toBe(13);
    expect(r.byEmotion.happiness).toEqual({ input: 10, kept: 8, keptRate: 0.8 });
    expect(r.byEmotion.anger).toEqual({ input: 10, kept: 2, keptRate: 0.2 });
    // overall 13/24 ≈ 0.54: anger's 0.2 is below half of it, sadness' 0.75 and happiness' 0.8 are not
    expect(r.flaggedClasses).toEqual(['anger']);
  });

  test('a quota keeps the most confident kept candidates of its class; classes without one keep all', () => {
    const ids = applyQuota(outcomes, parseQuota('happiness=3, anger=5'));
    const happy = ids.filter((id) => id <= 10);
    expect(happy).toEqual([6, 7, 8]);
    expect(ids.filter((id) => id > 10 && id <= 20)).toEqual([11, 12]);
    expect(ids.filter((id) => id > 20)).toEqual([21, 22, 23]);
  });

  test('a malformed quota names the part', () => {
    expect(() => parseQuota('happiness=3,anger')).toThrow('quota "anger" is not emotion=N');
  });
});

test('candidates without a vocabulary emotion count under their own row and are never flagged', () => {
  const r = balanceReport([
    { id: 1, emotion: 'anger', kept: true, agreement: 1 },
    { id: 2, emotion: UNPARSED_CLASS, kept: false, agreement: 0 },
    { id: 3, emotion: UNPARSED_CLASS, kept: false, agreement: 0 },
  ]);
  expect(r.byEmotion[UNPARSED_CLASS]).toEqual({ input: 2, kept: 0, keptRate: 0 });
  expect(r.flaggedClasses).toEqual([]);
});
