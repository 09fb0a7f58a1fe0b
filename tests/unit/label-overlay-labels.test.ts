/** The overlay's AU labels: laid out so that no two overlap, each as near its region's centre as the others allow. */
import { layoutLabels, type LabelBox } from '../../renderer/src/label/overlayLabels';

const overlap = (a: { x: number; y: number }, b: { x: number; y: number }, w: number, h: number) => Math.abs(a.x - b.x) < w && Math.abs(a.y - b.y) < h;

test('labels that do not collide stay on their anchors', () => {
  const boxes: LabelBox[] = [
    { id: 'AU1', x: 10, y: 10, w: 18, h: 14 },
    { id: 'AU2', x: 50, y: 10, w: 18, h: 14 },
  ];
  expect(layoutLabels(boxes)).toEqual([
    { id: 'AU1', x: 10, y: 10, moved: false },
    { id: 'AU2', x: 50, y: 10, moved: false },
  ]);
});

test('labels on one spot are spread until none overlaps; the first keeps its anchor', () => {
  // Five AU regions with (nearly) the same centre, as the mouth AUs have.
  const boxes: LabelBox[] = ['AU12', 'AU15', 'AU20', 'AU25', 'AU26'].map((id, i) => ({ id, x: 100 + i * 0.5, y: 120, w: 18, h: 14 }));
  const placed = layoutLabels(boxes);
  expect(placed[0]).toEqual({ id: 'AU12', x: 100, y: 120, moved: false });
  for (let i = 0; i < placed.length; i++) {
    for (let j = i + 1; j < placed.length; j++) expect(overlap(placed[i], placed[j], 18, 14)).toBe(false);
  }
  expect(placed.slice(1).every((p) => p.moved)).toBe(true);
  // The second goes straight up by one label height: the nearest free spot in the first direction tried.
  expect(placed[1]).toEqual({ id: 'AU15', x: 100.5, y: 106, moved: true });
});

test('a gap keeps labels apart by at least that much', () => {
  const boxes: LabelBox[] = [
    { id: 'a', x: 0, y: 0, w: 10, h: 10 },
    { id: 'b', x: 0, y: 0, w: 10, h: 10 },
  ];
  const [a, b] = layoutLabels(boxes, 4);
  expect(Math.max(Math.abs(a.x - b.x), Math.abs(a.y - b.y))).toBeGreaterThanOrEqual(14);
});

test('thirty labels on a small face overlap nowhere', () => {
  const boxes: LabelBox[] = Array.from({ length: 30 }, (_, i) => ({ id: `AU${i}`, x: 50 + (i % 5) * 3, y: 50 + Math.floor(i / 5) * 3, w: 16, h: 12 }));
  const placed = layoutLabels(boxes);
  for (let i = 0; i < placed.length; i++) {
    for (let j = i + 1; j < placed.length; j++) expect(overlap(placed[i], placed[j], 16, 12)).toBe(false);
  }
});
