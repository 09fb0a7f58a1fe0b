/** The Facial-R1 output format: parsing, the editor's live checks and draft composition (spec §3, §4, §6). */
import { auName, sortAUs } from './vocabulary';

export const FORMAT_REGEX = /^<think>[\s\S]*?<\/think>\s*<answer>[\s\S]*?<\/answer>$/;
const AU_TOKEN = /AU\d+/gi;
const HEDGES = ['no', 'not', 'without', 'maybe'];

/** R_format's test: the whole text is `<think>…</think>\s*<answer>…</answer>`, nothing around it. */
export function hasValidFormat(text: string): boolean {
  return FORMAT_REGEX.test(text);
}

/** Content of the first `<think>…</think>`, or null. */
export function thinkContent(text: string): string | null {
  const m = /<think>([\s\S]*?)<\/think>/.exec(text);
  return m ? m[1] : null;
}

/** Content of the last `<answer>…</answer>`, stripped, or null. */
export function answerContent(text: string): string | null {
  const all = [...text.matchAll(/<answer>([\s\S]*?)<\/answer>/g)];
  return all.length ? all[all.length - 1][1].trim() : null;
}

/** AU tokens (upper-cased, as written: AU04 stays AU04) in a text. */
export function extractAUs(text: string): Set<string> {
  return new Set((text.match(AU_TOKEN) ?? []).map((t) => t.toUpperCase()));
}

/** AUs named inside the first <think>, as Facial-R1's reward and eval parse them. */
export function thinkAUs(text: string): Set<string> {
  const think = thinkContent(text);
  return think === null ? new Set() : extractAUs(think);
}

export function findHedges(text: string): string[] {
  const think = thinkContent(text) ?? text;
  const words: string[] = think.toLowerCase().match(/[a-z']+/g) ?? [];
  return HEDGES.filter((h) => words.includes(h));
}

export interface ReasoningCheck {
  id: 'format' | 'aus' | 'answer' | 'hedges';
  ok: boolean;
  message: string;
}

/** The editor's live checks, mirroring the synthesis filter. */
export function checkReasoning(text: string, emotion: string | null, aus: Iterable<string>): ReasoningCheck[] {
  const selected = sortAUs(aus);
  const named = sortAUs(extractAUs(text));
  const answer = answerContent(text);
  const hedges = findHedges(text);
  const missing = selected.filter((a) => !named.includes(a));
  const extra = named.filter((a) => !selected.includes(a));
  return [
    {
      id: 'format',
      ok: hasValidFormat(text),
      message: hasValidFormat(text) ? 'Format ok' : 'Must be exactly <think>…</think><answer>…</answer>',
    },
    {
      id: 'aus',
      ok: missing.length === 0 && extra.length === 0,
      message:
        missing.length === 0 && extra.length === 0
          ? 'AUs named match the selection'
          : [missing.length ? `not named: ${missing.join(', ')}` : '', extra.length ? `named but not selected: ${extra.join(', ')}` : '']
              .filter(Boolean)
              .join('; '),
    },
    {
      id: 'answer',
      ok: emotion !== null && answer === emotion,
      message: answer === emotion ? 'Answer matches the emotion' : `Answer "${answer ?? ''}" differs from "${emotion ?? ''}"`,
    },
    {
      id: 'hedges',
      ok: hedges.length === 0,
      message: hedges.length === 0 ? 'No hedges' : `Hedges: ${hedges.join(', ')}`,
    },
  ];
}

const AU_PHRASES: Readonly<Record<string, string>> = {
  AU1: 'the inner brows are raised',
  AU2: 'the outer brows are raised',
  AU4: 'the brows are lowered and drawn together',
  AU5: 'the upper lids are raised',
  AU6: 'the cheeks are raised',
  AU7: 'the lids are tightened',
  AU9: 'the nose is wrinkled',
  AU10: 'the upper lip is raised',
  AU12: 'the lip corners are pulled up',
  AU14: 'the cheeks are dimpled',
  AU15: 'the lip corners are pulled down',
  AU16: 'the lower lip is depressed',
  AU17: 'the chin is raised',
  AU20: 'the lips are stretched',
  AU23: 'the lips are tightened',
  AU24: 'the lips are pressed',
  AU25: 'the lips are parted',
  AU26: 'the jaw is dropped',
  AU43: 'the eyes are closed',
};

export function auPhrase(au: string): string {
  return AU_PHRASES[au] ?? `${auName(au).toLowerCase()} is visible`;
}

/** Composes a Facial-R1-style reasoning naming every AU in parentheses and ending with the emotion. */
export function composeReasoning(emotion: string, aus: Iterable<string>): string {
  const sorted = sortAUs(aus);
  const parts = sorted.map((au) => `${auPhrase(au)} (${au})`);
  let observation: string;
  if (parts.length === 0) observation = 'The face is relaxed with a calm, even expression';
  else if (parts.length === 1) observation = capitalise(parts[0]);
  else observation = capitalise(`${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`);
  return `<think>${observation}; together these indicate ${emotion}.</think><answer>${emotion}</answer>`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
