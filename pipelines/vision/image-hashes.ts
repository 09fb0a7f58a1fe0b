/**
 * The cheap hashes a split's leakage check needs, without face detection: the perceptual hash (the same recipe as
 * the analysis' phash: decoded to at most 1024 px, 32×32 gray, DCT) and a sha256 of the decoded pixels, so that
 * images with equal pixels but different file bytes (re-saved PNGs, stripped metadata) count as exact duplicates.
 */
import { createHash } from 'node:crypto';
import { decodeRgb, grayThumb, probeImage, DEFAULT_PIXEL_LIMIT } from './image';
import { phashFromGray32 } from './phash';

export interface ImageHashes {
  phash: string;
  pixelSha256: string;
}

/** The perceptual hash alone (no face analysis), e.g. to check a new image against known ones. */
export async function imagePhash(bytes: Uint8Array, pixelLimit = DEFAULT_PIXEL_LIMIT): Promise<string> {
  await probeImage(bytes, pixelLimit);
  return phashFromGray32(await grayThumb(await decodeRgb(bytes, 1024, pixelLimit), 32));
}

/** Throws ImageRejected for undecodable or over-large images. */
export async function imageHashes(bytes: Uint8Array, pixelLimit = DEFAULT_PIXEL_LIMIT): Promise<ImageHashes> {
  const probed = await probeImage(bytes, pixelLimit);
  const full = await decodeRgb(bytes, Math.max(probed.width, probed.height), pixelLimit);
  const pixelSha256 = createHash('sha256').update(`${full.width}x${full.height}:`).update(full.data).digest('hex');
  const working = full.width > 1024 || full.height > 1024 ? await decodeRgb(bytes, 1024, pixelLimit) : full;
  return { phash: phashFromGray32(await grayThumb(working, 32)), pixelSha256 };
}
