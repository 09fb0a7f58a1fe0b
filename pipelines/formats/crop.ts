/** Cuts a face box out of an image (AffectNet's face_x/y/width/height), as PNG; the box is clipped to the image. */
import sharp from 'sharp';
import type { FaceBox } from './types';

export class CropError extends Error {}

export async function cropToPng(bytes: Buffer, box: FaceBox): Promise<Buffer> {
  const meta = await sharp(bytes).metadata();
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  const left = Math.max(0, Math.floor(box.x));
  const top = Math.max(0, Math.floor(box.y));
  const right = Math.min(w, Math.ceil(box.x + box.width));
  const bottom = Math.min(h, Math.ceil(box.y + box.height));
  if (right <= left || bottom <= top) throw new CropError(`the face box ${box.x},${box.y} ${box.width}×${box.height} lies outside the ${w}×${h} image`);
  return sharp(bytes).extract({ left, top, width: right - left, height: bottom - top }).png().toBuffer();
}
