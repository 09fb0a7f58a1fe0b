/** Strict Facial-R1 export (spec §2, §2.4, §11.1): one JSON line per record and the config.json registry entry. */
import { hasValidFormat } from '../facs/reasoning';
import { sortAUs } from '../facs/vocabulary';

export interface ExportRecord {
  id: string;
  dataset: string | null;
  image: string;
  question: string;
  emotion: string | null;
  aus: string[];
  description: string;
  subject: string | null;
  /** The imported meta_info, if any; provenance and subject are written over it. */
  metaInfo: Record<string, unknown>;
  provenance: { revision_id: number | null; author: string | null; kind: string | null; source: string | null };
  /** Unknown keys of the imported line (e.g. accu_reward_method), written back. */
  extra?: Record<string, unknown>;
}

/**
 * The description as `<think>…</think><answer>…</answer>`. Stored text already in that form is kept verbatim;
 * plain text (or none) with a known emotion is wrapped, so the SFT target always parses. Returns whether it wrapped.
 */
export function toDescription(reasoning: string, emotion: string | null): { text: string; wrapped: boolean } {
  if (hasValidFormat(reasoning) || emotion === null || /<\/?(think|answer)>/.test(reasoning)) return { text: reasoning, wrapped: false };
  return { text: `<think>${reasoning.trim()}</think><answer>${emotion.toLowerCase()}</answer>`, wrapped: true };
}

export function toFacialR1Line(r: ExportRecord): string {
  const description = toDescription(r.description, r.emotion);
  const provenance = description.wrapped ? { ...r.provenance, description: 'wrapped' } : r.provenance;
  const metaInfo: Record<string, unknown> = { ...r.metaInfo, provenance };
  if (r.subject !== null) metaInfo.subject = r.subject;
  else delete metaInfo.subject;
  const obj: Record<string, unknown> = {
    id: r.id,
    dataset: r.dataset ?? '',
    image: r.image,
    question: r.question,
    AUs: sortAUs(r.aus),
    labels: r.emotion ? [r.emotion.toLowerCase()] : [],
    description: description.text,
    meta_info: metaInfo,
  };
  // own keys only, defined rather than assigned: an imported "constructor" or "__proto__" field is written back as it came
  for (const [k, v] of Object.entries(r.extra ?? {})) if (!Object.hasOwn(obj, k)) Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
  return JSON.stringify(obj);
}

export interface RegistryEntry {
  emotions: Record<string, number>;
  AUs: Record<string, number>;
}

/**
 * The registry entry the reference loaders look up by JSONL basename: emotion class proportions (every
 * vocabulary emotion, so the prompt's {Emotions} lists them all) and AU frequencies (only AUs that occur:
 * the GRPO loader weights samples by inverse AU frequency).
 */
export function registryEntry(records: readonly Pick<ExportRecord, 'emotion' | 'aus'>[], emotionVocabulary: readonly string[]): RegistryEntry {
  const counts = new RegistryCounts();
  for (const r of records) counts.add(r);
  return counts.entry(emotionVocabulary);
}

/** registryEntry's counts gathered one record at a time, so an export can stream its records instead of holding them. */
export class RegistryCounts {
  private n = 0;
  private labeled = 0;
  private readonly emo = new Map<string, number>();
  private readonly au = new Map<string, number>();

  add(r: Pick<ExportRecord, 'emotion' | 'aus'>): void {
    this.n++;
    if (r.emotion) {
      this.labeled++;
      this.emo.set(r.emotion, (this.emo.get(r.emotion) ?? 0) + 1);
    }
    for (const a of new Set(r.aus)) this.au.set(a, (this.au.get(a) ?? 0) + 1);
  }

  entry(emotionVocabulary: readonly string[]): RegistryEntry {
    const { n, labeled, emo, au } = this;
    const emotions: Record<string, number> = {};
    for (const e of emotionVocabulary) emotions[e] = labeled ? round((emo.get(e) ?? 0) / labeled) : 0;
    for (const [e, c] of emo) if (!(e in emotions)) emotions[e] = round(c / labeled);
    const AUs: Record<string, number> = {};
    for (const a of sortAUs(au.keys())) AUs[a] = round(au.get(a)! / n);
    return { emotions, AUs };
  }
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
