/**
 * One canonical record written in each training engine's format (training-engines.md §2): LLaMA-Factory sharegpt
 * with OpenAI-style tags, TRL conversational SFT and prompt-only GRPO, verl's RL row, EasyR1's problem/answer.
 * Image paths are relative to the export folder, one placeholder per image.
 */
import { composeReasoning } from '../facs/reasoning';
import { sortAUs } from '../facs/vocabulary';
import { toDescription } from './facial-r1-export';
import { JsonTemplate, type LineSink } from './json-template';

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
  return llamaFactoryShape(r.prompt, { target: assistantTarget(r), image: r.image });
}

function llamaFactoryShape(prompt: string, v: { target: unknown; image: unknown }): Record<string, unknown> {
  return {
    messages: [
      { role: 'user', content: `<image>${prompt}` },
      { role: 'assistant', content: v.target },
    ],
    images: [v.image],
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

function trlUser(prompt: string): Record<string, unknown> {
  return { role: 'user', content: [{ type: 'image' }, { type: 'text', text: prompt }] };
}

export function trlSftRecord(r: EngineRecord): Record<string, unknown> {
  return trlSftShape(r.prompt, { target: assistantTarget(r), image: r.image });
}

function trlSftShape(prompt: string, v: { target: unknown; image: unknown }): Record<string, unknown> {
  return { messages: [trlUser(prompt), { role: 'assistant', content: [{ type: 'text', text: v.target }] }], images: [v.image] };
}

/** Prompt-only GRPO: the extra columns (solution, AUs) reach the reward functions as keyword arguments. */
export function trlGrpoRecord(r: EngineRecord): Record<string, unknown> {
  return trlGrpoShape(r.prompt, { image: r.image, emotion: r.emotion, aus: sortAUs(r.aus) });
}

function trlGrpoShape(prompt: string, v: { image: unknown; emotion: unknown; aus: unknown }): Record<string, unknown> {
  return { prompt: [trlUser(prompt)], image: v.image, solution: v.emotion, AUs: v.aus };
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

/** The last prompt's user turn: one string for all its rows, so the writer hashes and encodes it once (services/export/verl-columns). */
let lastTurn = { prompt: '', content: '<image>' };
/** Sorted AUs and packed answer per label set (few distinct ones), bounded so varied labels never pile up. */
const answers = new Map<string, { aus: string[]; answer: string }>();

function labelsOf(r: EngineRecord): { aus: string[]; answer: string } {
  const key = `${r.emotion}\u0000${r.aus.join(' ')}`;
  let a = answers.get(key);
  if (a === undefined) {
    a = { aus: sortAUs(r.aus), answer: easyR1Answer(r) };
    if (answers.size < 4096) answers.set(key, a);
  }
  return a;
}

export function verlRow(r: EngineRecord): VerlRow {
  if (lastTurn.prompt !== r.prompt) lastTurn = { prompt: r.prompt, content: `<image>${r.prompt}` };
  const labels = labelsOf(r);
  return {
    data_source: r.source ?? 'fea',
    prompt: [{ role: 'user', content: lastTurn.content }],
    images: [{ image: r.image }],
    ability: 'emotion',
    reward_model: { style: 'rule', ground_truth: r.emotion },
    extra_info: { split: r.part, index: r.index, id: r.id, aus: [...labels.aus], answer: labels.answer },
  };
}

export function easyR1Record(r: EngineRecord): Record<string, unknown> {
  return easyR1Shape(r.prompt, { answer: easyR1Answer(r), image: r.image });
}

function easyR1Shape(prompt: string, v: { answer: unknown; image: unknown }): Record<string, unknown> {
  return { problem: `<image>${prompt}`, answer: v.answer, images: [v.image] };
}

/** The JSON line formats: one line (one JSON value) per record. */
export type EngineLineKind = 'llama-factory' | 'trl-sft' | 'trl-grpo' | 'easyr1';

type Slot = 'target' | 'image' | 'emotion' | 'aus' | 'answer';

/** Each line format's shape and the record values in its variable places. */
const LINE_FORMATS: Record<EngineLineKind, { shape: (prompt: string, v: Record<Slot, unknown>) => unknown; slots: readonly Slot[] }> = {
  'llama-factory': { shape: llamaFactoryShape, slots: ['target', 'image'] },
  'trl-sft': { shape: trlSftShape, slots: ['target', 'image'] },
  'trl-grpo': { shape: trlGrpoShape, slots: ['image', 'emotion', 'aus'] },
  easyr1: { shape: easyR1Shape, slots: ['answer', 'image'] },
};

/** Composed targets repeat across records with the same labels; bounded so varied labels never pile up. */
const COMPOSED_LIMIT = 4096;
/** Prompts (one per question text) whose constant line text is kept. */
const TEMPLATE_LIMIT = 64;

/**
 * JSON.stringify(llamaFactoryRecord(r)) and its siblings, fast: the prompt and the rest of the constant text is
 * stringified once per prompt (./json-template), a composed target once per label set.
 */
export class EngineLineEncoder {
  private readonly templates = new Map<string, JsonTemplate<Slot>>();
  private readonly composed = new Map<string, string>();
  private readonly format: (typeof LINE_FORMATS)[EngineLineKind];

  constructor(kind: EngineLineKind) {
    this.format = LINE_FORMATS[kind];
  }

  line(r: EngineRecord): string {
    return this.template(r.prompt).line(this.values(r));
  }

  /** The line written to `sink` as bytes (the prompt's encoded once), `end` after it. */
  write(r: EngineRecord, sink: LineSink, end: string): void {
    this.template(r.prompt).write(this.values(r), sink, end);
  }

  private template(prompt: string): JsonTemplate<Slot> {
    let t = this.templates.get(prompt);
    if (t === undefined) {
      t = new JsonTemplate<Slot>((v) => this.format.shape(prompt, v), this.format.slots);
      if (this.templates.size < TEMPLATE_LIMIT) this.templates.set(prompt, t);
    }
    return t;
  }

  private values(r: EngineRecord): Record<Slot, unknown> {
    const v = {} as Record<Slot, unknown>;
    for (const slot of this.format.slots) v[slot] = this.value(slot, r);
    return v;
  }

  private value(slot: Slot, r: EngineRecord): unknown {
    switch (slot) {
      case 'target':
        return r.reasoning.trim() === '' ? this.composedTarget(r) : toDescription(r.reasoning, r.emotion).text;
      case 'image':
        return r.image;
      case 'emotion':
        return r.emotion;
      case 'aus':
        return labelsOf(r).aus;
      case 'answer':
        return labelsOf(r).answer;
    }
  }

  private composedTarget(r: EngineRecord): string {
    const key = `${r.emotion}\u0000${r.aus.join(' ')}`;
    let s = this.composed.get(key);
    if (s === undefined) {
      s = composeReasoning(r.emotion, r.aus);
      if (this.composed.size < COMPOSED_LIMIT) this.composed.set(key, s);
    }
    return s;
  }
}
