/** Eye-aligned face crops: a similarity warp that puts the eye centres at fixed positions of a square crop. */
import sharp from 'sharp';
import { eyeCentres, type Pt } from './geometry';
import type { RgbImage } from './image';

/** Eye centres in a 112 px crop (the ArcFace template's proportions). */
const LEFT_EYE_X = 38.3 / 112;
const RIGHT_EYE_X = 73.7 / 112;
const EYE_Y = 51.6 / 112;

/** Warps `img` so the subject's right eye (image left) lands at (38.3, 51.6) and the left at (73.7, 51.6) of a size×size crop. */
export function alignedCropRgb(img: RgbImage, landmarks: Pt[], size = 112): Uint8Array {
  const { right, left } = eyeCentres(landmarks);
  const dstR: Pt = [LEFT_EYE_X * size, EYE_Y * size];
  const dstL: Pt = [RIGHT_EYE_X * size, EYE_Y * size];
  // Inverse map (crop → image): rotation+scale s·R and translation t with src = s·R·dst + t.
  const sdx = left[0] - right[0];
  const sdy = left[1] - right[1];
  const ddx = dstL[0] - dstR[0];
  const scale = Math.hypot(sdx, sdy) / ddx;
  const cos = (sdx / Math.hypot(sdx, sdy)) * scale;
  const sin = (sdy / Math.hypot(sdx, sdy)) * scale;
  const tx = right[0] - (cos * dstR[0] - sin * dstR[1]);
  const ty = right[1] - (sin * dstR[0] + cos * dstR[1]);
  const out = new Uint8Array(size * size * 3);
  const { data, width, height } = img;
  for (let v = 0; v < size; v++) {
    for (let u = 0; u < size; u++) {
      const cu = u + 0.5;
      const cv = v + 0.5;
      const sx = Math.min(width - 1, Math.max(0, cos * cu - sin * cv + tx - 0.5));
      const sy = Math.min(height - 1, Math.max(0, sin * cu + cos * cv + ty - 0.5));
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const x1 = Math.min(width - 1, x0 + 1);
      const y1 = Math.min(height - 1, y0 + 1);
      const fx = sx - x0;
      const fy = sy - y0;
      for (let c = 0; c < 3; c++) {
        const a = data[(y0 * width + x0) * 3 + c];
        const b = data[(y0 * width + x1) * 3 + c];
        const d = data[(y1 * width + x0) * 3 + c];
        const e = data[(y1 * width + x1) * 3 + c];
        out[(v * size + u) * 3 + c] = Math.round(a * (1 - fx) * (1 - fy) + b * fx * (1 - fy) + d * (1 - fx) * fy + e * fx * fy);
      }
    }
  }
  return out;
}

export interface AlignedCrops {
  size: number;
  colorPng: Uint8Array;
  grayPng: Uint8Array;
}

export async function alignedCrops(img: RgbImage, landmarks: Pt[], size = 112): Promise<AlignedCrops> {
  const rgb = alignedCropRgb(img, landmarks, size);
  const raw = { raw: { width: size, height: size, channels: 3 as const } };
  const [colorPng, grayPng] = await Promise.all([
    sharp(rgb, raw).png().toBuffer(),
    sharp(rgb, raw).toColourspace('b-w').png().toBuffer(),
  ]);
  return { size, colorPng: new Uint8Array(colorPng), grayPng: new Uint8Array(grayPng) };
}
