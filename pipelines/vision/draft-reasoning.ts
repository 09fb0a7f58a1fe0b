/** The draft reasoning offered as a suggestion: Facial-R1 style, from the present AUs and the predicted emotion. */
import { composeReasoning } from '../facs/reasoning';
import { EMOTION_PROTOTYPES } from '../facs/vocabulary';

/**
 * Names every present AU, in AU order (so the editor's "AUs named" check passes when the annotator accepts
 * the suggestion), and ends with the emotion; no AU present reads as a relaxed face.
 */
export function draftReasoning(emotion: string | null, presentAUs: readonly string[]): string {
  const label = emotion ?? 'neutral';
  return composeReasoning(label, presentAUs);
}

/** Present AUs that are part of the emotion's EMFACS prototype (the "supporting" evidence). */
export function supportingAUs(emotion: string, presentAUs: readonly string[]): string[] {
  const proto = EMOTION_PROTOTYPES[emotion] ?? [];
  return presentAUs.filter((au) => proto.includes(au));
}
