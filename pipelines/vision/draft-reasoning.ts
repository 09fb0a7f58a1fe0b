/** The draft reasoning offered as a suggestion: Facial-R1 style, from the present AUs and the predicted emotion. */
import { auPhrase } from '../facs/reasoning';
import { EMOTION_PROTOTYPES, sortAUs } from '../facs/vocabulary';

/** Present AUs that belong to the emotion's EMFACS prototype (the evidence that supports it). */
export function supportingAUs(emotion: string, presentAUs: Iterable<string>): string[] {
  const proto = EMOTION_PROTOTYPES[emotion] ?? [];
  return sortAUs(presentAUs).filter((au) => proto.includes(au));
}

function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * `<think>observations; link to the emotion</think><answer>emotion</answer>`. Every present AU is named once
 * in parentheses (so the editor's "AUs named" check passes when the annotator accepts the draft), the prototype
 * AUs are called out as the evidence, and the text avoids the hedge words the synthesis filter rejects.
 */
export function draftReasoning(emotion: string | null, presentAUs: Iterable<string>): string {
  const label = emotion ?? 'neutral';
  const aus = sortAUs(presentAUs);
  const support = supportingAUs(label, aus);
  let think: string;
  if (aus.length === 0) {
    think =
      label === 'neutral'
        ? 'The brows, eyes and mouth rest in their relaxed positions and the face shows an even, calm expression, which indicates neutral.'
        : `The brows, eyes and mouth show only subtle movement from rest; the overall configuration of the face reads as ${label}.`;
  } else {
    const observed = list(aus.map((au) => `${auPhrase(au)} (${au})`));
    const first = observed.charAt(0).toUpperCase() + observed.slice(1);
    if (support.length > 0) {
      const proto = EMOTION_PROTOTYPES[label] ?? [];
      const core = support.length === proto.length ? 'the full prototype' : 'part of the prototype';
      think = `${first}. ${list(support.map((au) => au))} ${support.length === 1 ? 'is' : 'are'} ${core} of ${label}, so together these indicate ${label}.`;
    } else {
      think = `${first}. The overall configuration of the face reads as ${label}.`;
    }
  }
  return `<think>${think}</think><answer>${label}</answer>`;
}
