/** face-api's 7 expression classes mapped to the workspace's emotion vocabulary. Contempt has no class. */

export const EXPRESSION_TO_EMOTION: Readonly<Record<string, string>> = {
  neutral: 'neutral',
  happy: 'happiness',
  sad: 'sadness',
  angry: 'anger',
  fearful: 'fear',
  disgusted: 'disgust',
  surprised: 'surprise',
};

/** Maps face-api's probabilities to vocabulary labels, keeping only labels the workspace knows (all when vocab is omitted). */
export function mapExpressions(raw: Record<string, number>, vocabulary?: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [cls, p] of Object.entries(raw)) {
    const emotion = EXPRESSION_TO_EMOTION[cls];
    if (!emotion || typeof p !== 'number' || !Number.isFinite(p)) continue;
    if (vocabulary && !vocabulary.includes(emotion)) continue;
    out[emotion] = p;
  }
  return out;
}

/** The top emotion and its probability, or null when there are no scores. */
export function topEmotion(scores: Record<string, number>): { emotion: string; score: number } | null {
  let best: { emotion: string; score: number } | null = null;
  for (const [emotion, score] of Object.entries(scores)) if (!best || score > best.score) best = { emotion, score };
  return best;
}
