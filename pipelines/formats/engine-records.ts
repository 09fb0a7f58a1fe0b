/**
 * One canonical record written in each training engine's format (training-engines.md §2): LLaMA-Factory sharegpt
 * with OpenAI-style tags, TRL conversational SFT and prompt-only GRPO, verl's RL row, EasyR1's problem/answer.
 * Image paths are relative to the export folder, one placeholder per image.
 */
import { composeReasoning } from '../facs/reasoning';
import { sortAUs } from '../facs/vocabulary';
import { toDescription } from './facial-r1-export';

export { ENGINE_FORMATS, type EngineFormat } from './engine-formats';

export interface EngineRecord {
  id: string;
  source: string | null;
  /** The user turn without a placeholder: the Facial-R1 prompt. */
  prompt: string;
  emotion: string;
  aus: string[];
  /** Stored reasoning (may be empty or plain text). */
  reasoning: string;
  /** Image path relative to the export folder. */
  image: string;
  part: string;
  /** Position of the record in its part's file. */
  index: number;
}

/** The SFT target: stored reasoning in `<think>…</think><answer>…</answer>` form, or one composed from the labels. */
export function assistantTarget(r: Pick<EngineRecord, 'reasoning' | 'emotion' | 'aus'>): string {
  if (r.reasoning.trim() === '') return composeReasoning(r.emotion, r.aus);
  return toDescription(r.reasoning, r.emotion).text;
}

export function llamaFactoryRecord(r: EngineRecord): Record<string, unknown> {
  return {
    messages: [
      { role: 'user', content: `<image>${r.prompt}` },
      { role: 'assistant', content: assistantTarget(r) },
    ],
    images: [r.image],
  };
}

/** dataset_info.json's entry for one LLaMA-Factory file. */
export function llamaFactoryDatasetInfo(fileName: string): Record<string, unknown> {
  return {
    file_name: fileName,
    formatting: 'sharegpt',
    columns: { messages: 'messages', images: 'images' },
    tags: { role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant', system_tag: 'system' },
  };
}

function trlUser(r: EngineRecord): Record<string, unknown> {
  return { role: 'user', content: [{ type: 'image' }, { type: 'text', text: r.prompt }] };
}

export function trlSftRecord(r: EngineRecord): Record<string, unknown> {
  return { messages: [trlUser(r), { role: 'assistant', content: [{ type: 'text', text: assistantTarget(r) }] }], images: [r.image] };
}

/** Prompt-only GRPO: the extra columns (solution, AUs) reach the reward functions as keyword arguments. */
export function trlGrpoRecord(r: EngineRecord): Record<string, unknown> {
  return { prompt: [trlUser(r)], image: r.image, solution: r.emotion, AUs: sortAUs(r.aus) };
}

export interface VerlRow {
  data_source: string;
  prompt: { role: string; content: string }[];
  images: { image: string }[];
  ability: string;
  reward_model: { style: string; ground_truth: string };
  extra_info: { split: string; index: number; id: string; aus: string[]; answer: string };
}

export function easyR1Answer(r: Pick<EngineRecord, 'emotion' | 'aus'>): string {
  return JSON.stringify({ label: r.emotion, aus: sortAUs(r.aus) });
}

export function verlRow(r: EngineRecord): VerlRow {
  return {
    data_source: r.source ?? 'fea',
    prompt: [{ role: 'user', content: `<image>${r.prompt}` }],
    images: [{ image: r.image }],
    ability: 'emotion',
    reward_model: { style: 'rule', ground_truth: r.emotion },
    extra_info: { split: r.part, index: r.index, id: r.id, aus: sortAUs(r.aus), answer: easyR1Answer(r) },
  };
}

export function easyR1Record(r: EngineRecord): Record<string, unknown> {
  return { problem: `<image>${r.prompt}`, answer: easyR1Answer(r), images: [r.image] };
}
