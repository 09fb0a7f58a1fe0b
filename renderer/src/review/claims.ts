/** Splits a reasoning text into plain runs and AU claims ("AU12", "(AU12)"), so each claim can be highlighted. */
export interface ReasoningPart {
  text: string;
  /** The AU the run claims (normalised, "AU12"), or null for plain text. */
  au: string | null;
}

const CLAIM = /\(?\bAU(\d+)\b\)?/gi;

export function reasoningParts(text: string): ReasoningPart[] {
  const parts: ReasoningPart[] = [];
  let at = 0;
  for (const m of text.matchAll(CLAIM)) {
    const start = m.index;
    if (start > at) parts.push({ text: text.slice(at, start), au: null });
    parts.push({ text: m[0], au: `AU${Number(m[1])}` });
    at = start + m[0].length;
  }
  if (at < text.length) parts.push({ text: text.slice(at), au: null });
  return parts;
}

/** The reasoning's claimed AUs, in first-claim order. */
export function claimedAUs(text: string): string[] {
  return [...new Set(reasoningParts(text).flatMap((p) => (p.au ? [p.au] : [])))];
}
