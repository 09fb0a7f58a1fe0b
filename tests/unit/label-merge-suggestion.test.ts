/** Merging a suggestion into the form: the union of the AUs, the form's marks, emotion and reasoning kept. */
import type { Suggestion } from '../../contract/types';
import { EMPTY_FORM, fromSuggestion, mergeSuggestion, type FormState } from '../../renderer/src/label/form';

const suggestion: Suggestion = {
  predictionId: 7,
  model: 'expression@1',
  emotion: 'happiness',
  emotionScore: 0.8,
  aus: [
    { au: 'AU6', score: 0.9, present: true },
    { au: 'AU12', score: 0.7, present: true },
    { au: 'AU25', score: 0.2, present: false },
  ],
  reasoning: '<think>model text</think><answer>happiness</answer>',
};

test('the form keeps its AUs with their intensity and side, and gains the suggestion\'s present ones', () => {
  const form: FormState = {
    emotion: 'surprise',
    aus: [
      { au: 'AU12', intensity: 'C', side: 'L' },
      { au: 'AU26', intensity: 'B', side: null },
    ],
    reasoning: 'my reasoning',
    parentPredictionId: null,
  };
  expect(mergeSuggestion(form, suggestion)).toEqual({
    emotion: 'surprise',
    aus: [
      { au: 'AU6', intensity: null, side: null },
      { au: 'AU12', intensity: 'C', side: 'L' },
      { au: 'AU26', intensity: 'B', side: null },
    ],
    reasoning: 'my reasoning',
    parentPredictionId: 7,
  });
});

test('an empty form takes the suggestion\'s emotion but not its reasoning; accept replaces everything', () => {
  const merged = mergeSuggestion(EMPTY_FORM, suggestion);
  expect(merged.emotion).toBe('happiness');
  expect(merged.reasoning).toBe('');
  expect(merged.aus.map((m) => m.au)).toEqual(['AU6', 'AU12']);
  expect(fromSuggestion(suggestion).reasoning).toBe(suggestion.reasoning);
});
