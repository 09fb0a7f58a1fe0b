/** @jest-environment jsdom */
import { createElement } from 'react';
import { render, screen } from '@testing-library/react';
import { checkReasoning } from '../../pipelines/facs/reasoning';
import { ReasoningEditor } from '../../renderer/src/label/ReasoningEditor';

const props = { composeKey: 'c', onChange: () => undefined, onCompose: () => undefined };

test('an empty form shows its checks waiting, not failing, and the placeholder names no emotion', () => {
  render(createElement(ReasoningEditor, { ...props, value: '', checks: checkReasoning('', null, []) }));
  expect(screen.getByTestId('checks-summary').textContent).toBe('no reasoning yet');
  expect(screen.getByTestId('check-answer').getAttribute('data-ok')).toBe('pending');
  expect(screen.getByTestId('check-answer').textContent).not.toContain('✗');
  const placeholder = screen.getByTestId('reasoning').getAttribute('placeholder') ?? '';
  for (const e of ['anger', 'disgust', 'fear', 'happiness', 'sadness', 'surprise', 'neutral']) expect(placeholder).not.toContain(e);
});

test('a written reasoning is checked as before', () => {
  const text = '<think>The brows are lowered (AU4).</think><answer>sadness</answer>';
  render(createElement(ReasoningEditor, { ...props, value: text, checks: checkReasoning(text, 'anger', ['AU4']) }));
  expect(screen.getByTestId('check-answer').getAttribute('data-ok')).toBe('false');
  expect(screen.getByTestId('checks-summary').textContent).toBe('1 check failing');
});
