/** @jest-environment jsdom */
/** The evidence panel: every AU claim is marked, flagged claims say so, and hovering or focusing a claim lights its region(s). */
import { act, fireEvent, render } from '@testing-library/react';
import { createElement } from 'react';
import type { CandidateDetail } from '../../contract/types';
import { Evidence } from '../../renderer/src/review/Evidence';

const square = (x: number): [number, number][] => [
  [x, 10],
  [x + 5, 10],
  [x + 5, 15],
];

const detail = {
  id: 1,
  recordId: 'r1',
  output: '<think>Cheeks raised (AU6), lip corners pulled (AU12), lips parted (AU25).</think><answer>happiness</answer>',
  flaggedAUs: ['AU25'],
  auEstimates: { AU6: { score: 0.8, present: true }, AU12: { score: 0.9, present: true }, AU25: { score: 0.1, present: false } },
  imageSize: { width: 100, height: 100 },
  box: null,
  auRegions: [
    { au: 'AU6', points: square(10), score: 0.8, present: true },
    { au: 'AU6', points: square(60), score: 0.8, present: true },
    { au: 'AU12', points: square(30), score: 0.9, present: true },
  ],
} as unknown as CandidateDetail;

const lit = (c: HTMLElement) => [...c.querySelectorAll('[data-testid="au-region"][data-lit="true"]')].map((e) => e.getAttribute('data-au'));

test('claims are marked, the flagged one as a possible hallucination', () => {
  const { container } = render(createElement(Evidence, { detail, src: 'x.png' }));
  const claims = [...container.querySelectorAll('[data-testid="claim"]')];
  expect(claims.map((c) => [c.getAttribute('data-au'), c.getAttribute('data-flagged')])).toEqual([
    ['AU6', 'false'],
    ['AU12', 'false'],
    ['AU25', 'true'],
  ]);
  expect(claims[2].getAttribute('title')).toMatch(/possible hallucination/);
  expect(container.querySelector('[data-testid="evidence-reasoning"]')?.textContent).toContain('lips parted (AU25)');
});

test('hovering a claim lights both of its regions; focus does the same from the keyboard; leaving turns them off', () => {
  const { container } = render(createElement(Evidence, { detail, src: 'x.png' }));
  const claim = (au: string) => container.querySelector(`[data-testid="claim"][data-au="${au}"]`)!;
  expect(lit(container)).toEqual([]);
  act(() => void fireEvent.mouseEnter(claim('AU6')));
  expect(lit(container)).toEqual(['AU6', 'AU6']);
  act(() => void fireEvent.mouseLeave(claim('AU6')));
  expect(lit(container)).toEqual([]);
  act(() => void fireEvent.focus(claim('AU12')));
  expect(lit(container)).toEqual(['AU12']);
  act(() => void fireEvent.blur(claim('AU12')));
  expect(lit(container)).toEqual([]);
});
