/** The suggestion source's track record in words, with the number of records it stands on. */
import type { SuggestionTrust } from '../../../contract/types';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "Measured on 42 labeled records: emotion 71 % right (40), AU F1 0.58 (42); 5 labels of them accepted from it." */
export function trustText(t: SuggestionTrust): string {
  if (t.records === 0) return 'Not measured yet: no human-labeled record has a suggestion from this source.';
  const parts = [
    t.emotion ? `emotion ${Math.round(t.emotion.accuracy * 100)}\u00a0% right (${t.emotion.n})` : null,
    t.aus ? `AU F1 ${t.aus.f1.toFixed(2)} (${t.aus.n})` : null,
  ].filter(Boolean);
  const accepted = t.acceptedFrom > 0 ? `; ${plural(t.acceptedFrom, 'label')} of them accepted from it` : '';
  return `Measured on ${plural(t.records, 'labeled record')}: ${parts.join(', ') || 'nothing comparable'}${accepted}.`;
}
