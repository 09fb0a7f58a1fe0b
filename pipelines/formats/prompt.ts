/**
 * The Facial-R1 prompt (GRPO_PROMPT, facial-r1-method.md §3), built from the workspace's emotion vocabulary: the
 * question, the think/answer requirements, the 30 AU definitions and one compliant example. Every engine export
 * uses it as the user turn, so SFT and RL see the same text as the in-app trainer's reference.
 */
import { FACIAL_R1_AU_NAMES } from '../facs/vocabulary';

export const DEFAULT_PROMPT_QUESTION = 'What is the emotion of this face?';

const EXAMPLE =
  '<think>The upper lip is raised (AU10), the chin is pushed up (AU17) and the lips are funneled (AU22); together these tense mouth movements indicate anger.</think><answer>anger</answer>';

/** The question without any `<image>` placeholder (engines add their own). */
export function promptQuestion(question: string | null | undefined): string {
  const q = (question ?? '').replace(/<image>/g, '').trim();
  return q === '' ? DEFAULT_PROMPT_QUESTION : q;
}

export function facialR1Prompt(question: string | null | undefined, emotions: readonly string[]): string {
  const aus = Object.entries(FACIAL_R1_AU_NAMES).map(([au, name]) => `${au}: ${name};`);
  return [
    '### Question',
    promptQuestion(question),
    '',
    '### Requirements',
    '1. First write your reasoning inside <think></think> as one concise, continuous paragraph about the critical facial action units (AUs).',
    '2. Name each observable facial feature with its AU number in parentheses, for example "eyebrows pulled together (AU4)".',
    '3. After listing the AUs, explain how together they indicate one emotion.',
    '4. Do not use negative or uncertain wording such as "no", "not", "without" or "maybe".',
    '5. Avoid unnecessary words.',
    `6. Then output only the final emotion inside <answer></answer>, as a single word from [${emotions.map((e) => `'${e}'`).join(', ')}].`,
    '',
    '### AU Definition',
    ...aus,
    '',
    '### Example',
    EXAMPLE,
  ].join('\n');
}
