import { composeReasoning } from '../../pipelines/facs';
import {
  appendRetry, groundTruthBlock, MISSING_ANSWER, MISSING_THINK, outputAUs, outputLabels, pyListRepr, retryPromptBlock, synthesisFilter,
} from '../../pipelines/synthesis';

const GT = { aus: ['AU4', 'AU1', 'AU15'], emotion: 'sadness' };
const GOOD = composeReasoning('sadness', ['AU1', 'AU4', 'AU15']);

describe('synthesis exact-match filter (spec §6 step 4)', () => {
  test('a rationalisation naming exactly the GT AUs and label passes', () => {
    expect(synthesisFilter(GOOD, GT)).toEqual({ pass: true, errors: [] });
  });

  test('a missing AU fails with the expected list (Python sorted order)', () => {
    const r = synthesisFilter(composeReasoning('sadness', ['AU1', 'AU4']), GT);
    expect(r.pass).toBe(false);
    expect(r.errors).toEqual(["The predicted AUs must be: ['AU1', 'AU15', 'AU4']"]);
  });

  test('an extra AU anywhere in the output fails, even inside <answer>', () => {
    const r = synthesisFilter(GOOD.replace('<answer>sadness</answer>', '<answer>sadness AU9</answer>'), GT);
    expect(r.errors[0]).toMatch(/^The predicted AUs must be/);
  });

  test('AU checks are case-sensitive and exact: AU04 ≠ AU4, au4 is not an AU', () => {
    expect(synthesisFilter(GOOD.replace('(AU4)', '(AU04)'), GT).pass).toBe(false);
    expect(synthesisFilter(GOOD.replace('(AU4)', '(au4)'), GT).pass).toBe(false);
  });

  test('wrong label fails; labels split on , 、 ， and compared as sorted sets', () => {
    expect(synthesisFilter(GOOD.replace('<answer>sadness</answer>', '<answer>Sadness</answer>'), GT).errors).toEqual([
      "The predicted labels must be: ['sadness']",
    ]);
    const multi = { aus: [], labels: ['sadness', 'fear'] };
    expect(synthesisFilter('<think>x</think><answer> fear、sadness </answer>', multi).pass).toBe(true);
    expect(synthesisFilter('<think>x</think><answer>sadness，fear, fear</answer>', multi).pass).toBe(true);
    expect(synthesisFilter('<think>x</think><answer>sadness and fear</answer>', multi).pass).toBe(false);
  });

  test('only the first <answer> is read for labels', () => {
    expect(outputLabels('<answer>anger</answer><answer>sadness</answer>')).toEqual(['anger']);
    expect(outputLabels('no answer')).toEqual([]);
  });

  test('checks are skipped when the GT field is empty', () => {
    expect(synthesisFilter('<think>The brows are raised (AU1).</think><answer>surprise</answer>', { aus: [], emotion: null }).pass).toBe(true);
    expect(synthesisFilter('<think>The brows are raised (AU1).</think><answer>surprise</answer>', { aus: ['AU1'], emotion: null }).pass).toBe(true);
    expect(synthesisFilter('<think>The face is calm.</think><answer>neutral</answer>', { aus: [], emotion: 'neutral' }).pass).toBe(true);
  });

  test('<think> and <answer> must be present and non-empty', () => {
    expect(synthesisFilter('<answer>sadness</answer> AU1 AU4 AU15', GT)).toEqual({ pass: false, errors: [MISSING_THINK] });
    expect(synthesisFilter('<think>  \n</think><answer>sadness</answer> AU1 AU4 AU15', GT).errors).toEqual([MISSING_THINK]);
    const r = synthesisFilter('<think>AU1 AU4 AU15</think><answer> </answer>', GT);
    expect(r.errors).toEqual(["The predicted labels must be: ['sadness']", MISSING_ANSWER]);
    expect(synthesisFilter('', GT).errors).toHaveLength(4);
  });

  test('helpers', () => {
    expect(outputAUs('AU12 then AU4, AU12, au6')).toEqual(['AU12', 'AU4']);
    expect(outputAUs('AU\u0664')).toEqual(['AU\u0664']); // Python's \d: an extra AU, so the set differs
    expect(pyListRepr([])).toBe('[]');
    expect(pyListRepr(["it's", 'a\\b'])).toBe(`["it's", 'a\\\\b']`);
  });
});

describe('prompt blocks', () => {
  test('ground-truth block holds only the parts the record has', () => {
    expect(groundTruthBlock(GT)).toBe(
      "### Ground Truth\nYour analysis MUST identify these specific Action Units: ['AU1', 'AU15', 'AU4']\nAnd your final answer MUST be this exact emotion: ['sadness']",
    );
    expect(groundTruthBlock({ aus: [], emotion: 'fear' })).toBe("### Ground Truth\nAnd your final answer MUST be this exact emotion: ['fear']");
    expect(groundTruthBlock({ aus: [], emotion: null })).toBe('');
  });

  test('retry block carries the previous response, the errors and the reminders', () => {
    const previous = '<think>The brows are lowered (AU4).</think><answer>anger</answer>';
    const { errors } = synthesisFilter(previous, GT);
    const block = retryPromptBlock(previous, errors);
    expect(block.startsWith('### Previous Response Issues\n')).toBe(true);
    expect(block).toContain(previous);
    expect(block).toContain("The predicted AUs must be: ['AU1', 'AU15', 'AU4'], The predicted labels must be: ['sadness']");
    expect(block).toMatch(/"no", "not" and "without"/);
    expect(block).toMatch(/concise/);
    expect(appendRetry('PROMPT', previous, errors)).toBe(`PROMPT\n\n${block}`);
  });
});
