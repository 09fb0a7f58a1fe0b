/** Decodes face images into the policy's grayscale input (values in [0, 1]). */
import sharp from 'sharp';

export async function grayPixels(input: string | Buffer, size: number): Promise<Float32Array> {
  const raw = await sharp(input).grayscale().resize(size, size, { fit: 'fill', kernel: 'lanczos3' }).raw().toBuffer();
  const out = new Float32Array(size * size);
  const channels = raw.length / (size * size);
  for (let i = 0; i < out.length; i++) out[i] = raw[i * channels] / 255;
  return out;
}
