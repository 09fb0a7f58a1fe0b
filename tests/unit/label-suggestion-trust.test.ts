/** @jest-environment jsdom */
/**
 * The suggestion's track record in the label view: read on arrival, read again once after a burst of record changes
 * (not once per submit), and said in words with the number of records it was measured on.
 */
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ApiClient } from '../../contract/api';
import type { SuggestionTrust } from '../../contract/types';
import { trustText } from '../../renderer/src/label/trustText';
import { useSuggestionTrust } from '../../renderer/src/label/useSuggestionTrust';
import { apiListeners as listeners } from '../support/fake-api-events';

jest.mock('../../renderer/src/api/ApiContext', () => jest.requireActual('../support/fake-api-events'));

const measured = (records: number): SuggestionTrust => ({
  modelId: null,
  records,
  acceptedFrom: 1,
  emotion: { n: records, accuracy: 0.75 },
  aus: { n: records, f1: 0.583, precision: 0.6, recall: 0.57 },
});

test('read on arrival, and once more after a burst of changes', async () => {
  let calls = 0;
  const api: Pick<ApiClient, 'suggestions.trust'> = { 'suggestions.trust': async () => measured(++calls * 10) };
  const { result } = renderHook(() => useSuggestionTrust(api, 30));
  await waitFor(() => expect(result.current?.records).toBe(10));
  await act(async () => {
    for (let i = 0; i < 5; i++) listeners.forEach((l) => l({ type: 'records.changed', ids: [`r${i}`] }));
  });
  await waitFor(() => expect(result.current?.records).toBe(20));
  await new Promise((r) => setTimeout(r, 80));
  expect(calls).toBe(2);
});

test('the words name the measure and how many records it stands on', () => {
  expect(trustText(measured(4))).toBe('Measured on 4 labeled records: emotion 75\u00a0% right (4), AU F1 0.58 (4); 1 label of them accepted from it.');
  expect(trustText({ ...measured(1), acceptedFrom: 0, aus: null })).toBe('Measured on 1 labeled record: emotion 75\u00a0% right (1).');
  expect(trustText({ modelId: null, records: 0, acceptedFrom: 0, emotion: null, aus: null })).toMatch(/^Not measured yet/);
});
