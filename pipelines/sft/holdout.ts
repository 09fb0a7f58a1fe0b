/** The validation slice of a training part: whole subjects (records without one count alone), seeded. */
import type { FaceSample } from '../model/inputs';
import { Rng } from '../model/rng';

/** The group a sample is held out with: its subject, or itself when it has none. */
export function subjectKey(s: FaceSample): string {
  return s.subject ?? `record:${s.recordId}`;
}

export function subjectHoldout(samples: FaceSample[], fraction: number, seed: number): { train: FaceSample[]; val: FaceSample[] } {
  if (fraction <= 0 || samples.length < 10) return { train: samples, val: [] };
  const groups = new Map<string, FaceSample[]>();
  for (const s of samples) {
    const key = subjectKey(s);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(s);
  }
  const keys = [...groups.keys()].sort();
  new Rng(seed * 104729 + 3).shuffle(keys);
  const target = Math.max(1, Math.round(samples.length * fraction));
  const valKeys = new Set<string>();
  let n = 0;
  for (const k of keys) {
    if (n >= target) break;
    if (valKeys.size >= keys.length - 1) break;
    valKeys.add(k);
    n += groups.get(k)!.length;
  }
  return {
    train: samples.filter((s) => !valKeys.has(subjectKey(s))),
    val: samples.filter((s) => valKeys.has(subjectKey(s))),
  };
}
