/** Fixed 68-point landmark sets for the AU-rule tests: a neutral template in the face frame and edits of it. */
import type { Pt } from '../../pipelines/vision/geometry';

/**
 * A frontal neutral face in the face frame (eye midpoint at the origin, IOD = 1, y down), built so every
 * measure of faceGeometry sits at (or just on the neutral side of) the population reference.
 */
export function neutralFace(): Pt[] {
  const p: Pt[] = [];
  for (let i = 0; i <= 16; i++) {
    const t = (Math.PI * i) / 16;
    p.push([-0.95 * Math.cos(t), 0.1 + 1.45 * Math.sin(t)]);
  }
  // brows 17–21 (outer → inner) and their mirror 22–26
  const brow: Pt[] = [[-0.85, -0.3], [-0.7, -0.3], [-0.55, -0.37], [-0.4, -0.354], [-0.281, -0.354]];
  p.push(...brow, ...[...brow].reverse().map(([x, y]): Pt => [-x, y]));
  // nose bridge 27–30 and base 31–35 (33 at the centre)
  p.push([0, -0.018], [0, 0.2], [0, 0.4], [0, 0.55]);
  p.push([-0.2, 0.62], [-0.1, 0.64], [0, 0.65], [0.1, 0.64], [0.2, 0.62]);
  const u = 0.0507;
  const l = 0.0414;
  p.push([-0.65, 0], [-0.55, -u], [-0.45, -u], [-0.35, 0], [-0.45, l], [-0.55, l]);
  p.push([0.35, 0], [0.45, -u], [0.55, -u], [0.65, 0], [0.55, l], [0.45, l]);
  // outer lips 48–59: corners at ±0.39, lip centres 51/57 a reference 0.042 below the corners on average
  const c = 0.98;
  p.push([-0.39, c], [-0.27, 0.9], [-0.12, 0.87], [0, 0.88], [0.12, 0.87], [0.27, 0.9], [0.39, c]);
  p.push([0.27, 1.08], [0.12, 1.1], [0, 1.164], [-0.12, 1.1], [-0.27, 1.08]);
  // inner lips 60–67: 42/1000 IOD apart
  p.push([-0.3, c], [-0.12, 0.98], [0, 0.98], [0.12, 0.98], [0.3, c], [0.12, 1.022], [0, 1.005], [-0.12, 1.022]);
  return p;
}

/** Face-frame points → image pixels: scale, roll and offset like a real photo. */
export function toImage(face: Pt[], scale = 80, roll = 0, ox = 200, oy = 150): Pt[] {
  const c = Math.cos(roll);
  const s = Math.sin(roll);
  return face.map(([x, y]) => [ox + scale * (x * c - y * s), oy + scale * (x * s + y * c)]);
}

/** Moves the given landmarks by (dx, dy), in IOD. */
export function edit(face: Pt[], moves: Record<number, [number, number]>): Pt[] {
  return face.map(([x, y], i) => (moves[i] ? [x + moves[i][0], y + moves[i][1]] : [x, y]));
}

/** The same move for several landmarks. */
export function move(indices: number[], d: [number, number]): Record<number, [number, number]> {
  return Object.fromEntries(indices.map((i) => [i, d]));
}
