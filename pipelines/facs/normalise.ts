/** Normalisation of labels and AU tokens on input (spec §2.1, §11.2). */

const EMOTION_ALIASES: Readonly<Record<string, string>> = {
  anger: 'anger', angry: 'anger', mad: 'anger',
  disgust: 'disgust', disgusted: 'disgust', disgusting: 'disgust',
  fear: 'fear', fearful: 'fear', afraid: 'fear', scared: 'fear',
  happiness: 'happiness', happy: 'happiness', joy: 'happiness', happily: 'happiness',
  neutral: 'neutral', neutrality: 'neutral', calm: 'neutral',
  sadness: 'sadness', sad: 'sadness',
  surprise: 'surprise', surprised: 'surprise',
  contempt: 'contempt', contemptuous: 'contempt',
};

/**
 * Maps a label in any common spelling (Happy, happy, angry, Sadness…) to its lowercase noun.
 * Returns null when the word is not a known emotion; callers then check the workspace vocabulary.
 */
export function normaliseEmotion(raw: string): string | null {
  const key = raw.trim().toLowerCase();
  if (!key) return null;
  return EMOTION_ALIASES[key] ?? null;
}

const AU_PATTERN = /^\s*au\s*0*(\d{1,2})\s*$/i;

/** AU04, au4, "AU 4", "4" → AU4. Returns null for anything that is not an AU token. */
export function normaliseAU(raw: string | number): string | null {
  const text = typeof raw === 'number' ? String(raw) : raw;
  const m = AU_PATTERN.exec(text) ?? /^\s*0*(\d{1,2})\s*$/.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  if (!Number.isInteger(n) || n < 0 || n > 99) return null;
  return `AU${n}`;
}
