/** Probing and decoding image bytes with sharp; huge images are refused from their header, before any decoding. */
import sharp from 'sharp';

/** 40 megapixels: a 7,000 × 5,700 photo decodes to ~120 MB of RGB; anything larger is not a face photo. */
export const DEFAULT_PIXEL_LIMIT = 40_000_000;

export class ImageRejected extends Error {
  constructor(
    public readonly code: 'undecodable' | 'too_large',
    message: string,
  ) {
    super(message);
  }
}

export interface ProbedImage {
  width: number;
  height: number;
  format: string;
}

/** Reads the header only. Width/height are as displayed (EXIF orientation applied). */
export async function probeImage(bytes: Uint8Array, pixelLimit = DEFAULT_PIXEL_LIMIT): Promise<ProbedImage> {
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>["metadata"]>>;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw new ImageRejected('undecodable', `cannot read image header: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!meta.width || !meta.height) throw new ImageRejected('undecodable', 'image header has no dimensions');
  if (meta.width * meta.height > pixelLimit) {
    throw new ImageRejected(
      'too_large',
      `image is ${meta.width}×${meta.height} = ${((meta.width * meta.height) / 1e6).toFixed(1)} MP, over the ${(pixelLimit / 1e6).toFixed(1)} MP limit; refused before decoding`,
    );
  }
  const rotated = (meta.orientation ?? 1) >= 5;
  return { width: rotated ? meta.height : meta.width, height: rotated ? meta.width : meta.height, format: meta.format ?? 'unknown' };
}

export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** Decodes to packed 8-bit RGB, EXIF-rotated, downscaled so the longer side is at most maxSide. */
export async function decodeRgb(bytes: Uint8Array, maxSide: number, pixelLimit = DEFAULT_PIXEL_LIMIT): Promise<RgbImage> {
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: pixelLimit, failOn: 'error' })
      .rotate()
      .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels, got ${info.channels}`);
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
  } catch (err) {
    throw new ImageRejected('undecodable', `cannot decode image: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * The displayed size and the decoded working image in one read where the image needs no downscaling: the header is
 * read on its own only when decoding fails (to say why: too large, or not an image) or may have scaled the image
 * (its longer side reached maxSide). The same results and errors as probeImage followed by decodeRgb.
 */
export async function decodeImage(bytes: Uint8Array, maxSide: number, pixelLimit = DEFAULT_PIXEL_LIMIT): Promise<{ probed: { width: number; height: number }; img: RgbImage }> {
  let img: RgbImage;
  try {
    img = await decodeRgb(bytes, maxSide, pixelLimit);
  } catch (err) {
    await probeImage(bytes, pixelLimit);
    throw err;
  }
  if (Math.max(img.width, img.height) < maxSide) return { probed: { width: img.width, height: img.height }, img };
  const probed = await probeImage(bytes, pixelLimit);
  return { probed: { width: probed.width, height: probed.height }, img };
}

/** size×size grayscale of a decoded image (the perceptual hash's input). */
export async function grayThumb(img: RgbImage, size = 32): Promise<Float64Array> {
  const data = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } })
    .resize(size, size, { fit: 'fill' })
    .grayscale()
    .raw()
    .toBuffer();
  return Float64Array.from(data.subarray(0, size * size));
}
