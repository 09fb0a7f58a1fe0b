/**
 * Where the overlay's AU labels go: each at its region's centre unless that box would overlap a label already placed;
 * then at the nearest free spot on rings around the centre (up, down, right, left, then the diagonals), with a leader
 * line back to the centre. Greedy in the given order, so earlier labels keep their centres.
 */

export interface LabelBox {
  id: string;
  /** The anchor: the label's preferred centre. */
  x: number;
  y: number;
  /** The label's width and height, in the same units. */
  w: number;
  h: number;
}

export interface PlacedLabel {
  id: string;
  /** The label's centre. */
  x: number;
  y: number;
  /** False when the label sits on its anchor. */
  moved: boolean;
}

const DIRECTIONS: readonly [number, number][] = [
  [0, -1],
  [0, 1],
  [1, 0],
  [-1, 0],
  [1, -1],
  [-1, -1],
  [1, 1],
  [-1, 1],
];

/** Rings tried before giving up on a free spot (the label then keeps its anchor, overlapping). */
const MAX_RINGS = 24;

function overlaps(a: { x: number; y: number; w: number; h: number }, b: { x: number; y: number; w: number; h: number }): boolean {
  return Math.abs(a.x - b.x) * 2 < a.w + b.w && Math.abs(a.y - b.y) * 2 < a.h + b.h;
}

export function layoutLabels(labels: readonly LabelBox[], gap = 0): PlacedLabel[] {
  const placed: { x: number; y: number; w: number; h: number }[] = [];
  return labels.map((label) => {
    // The gap is kept by testing a box grown by it.
    const box = { w: label.w + gap, h: label.h + gap };
    const free = (x: number, y: number) => !placed.some((p) => overlaps({ x, y, ...box }, p));
    let spot: { x: number; y: number } | null = free(label.x, label.y) ? { x: label.x, y: label.y } : null;
    for (let ring = 1; !spot && ring <= MAX_RINGS; ring++) {
      for (const [dx, dy] of DIRECTIONS) {
        const x = label.x + dx * ring * (box.w / 2);
        const y = label.y + dy * ring * (box.h / 2);
        if (free(x, y)) {
          spot = { x, y };
          break;
        }
      }
    }
    const at = spot ?? { x: label.x, y: label.y };
    placed.push({ ...at, ...box });
    return { id: label.id, x: at.x, y: at.y, moved: at.x !== label.x || at.y !== label.y };
  });
}
