/**
 * Image checks on import. PNG and JPEG (nearly every dataset) are checked structurally in plain JS — header
 * dimensions, every PNG chunk's length and CRC up to IEND, the JPEG marker chain and its EOI — which catches
 * truncated and garbled files without decoding pixels. Other formats are fully decoded by sharp.
 */
import * as zlib from 'node:zlib';
import sharp from 'sharp';

export interface ImageProbe {
  format: string;
  width: number;
  height: number;
  ext: string;
}

export class UndecodableImage extends Error {}

const EOI = Buffer.from([0xff, 0xd9]);
const PNG_SIG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function probePng(buf: Buffer): ImageProbe {
  if (buf.length < 8 + 25 + 12) throw new UndecodableImage('PNG is too short');
  let off = 8;
  let width = 0;
  let height = 0;
  let sawIdat = false;
  let first = true;
  for (;;) {
    if (off + 12 > buf.length) throw new UndecodableImage('PNG is truncated (no IEND chunk)');
    const len = buf.readUInt32BE(off);
    const typeStart = off + 4;
    const dataEnd = typeStart + 4 + len;
    if (dataEnd + 4 > buf.length) throw new UndecodableImage('PNG is truncated (a chunk runs past the end)');
    const type = buf.toString('latin1', typeStart, typeStart + 4);
    const crc = buf.readUInt32BE(dataEnd);
    if (zlib.crc32(buf.subarray(typeStart, dataEnd)) !== crc) throw new UndecodableImage(`PNG chunk ${type} is corrupt (CRC mismatch)`);
    if (first) {
      if (type !== 'IHDR' || len !== 13) throw new UndecodableImage('PNG does not start with IHDR');
      width = buf.readUInt32BE(typeStart + 4);
      height = buf.readUInt32BE(typeStart + 8);
      first = false;
    }
    if (type === 'IDAT') sawIdat = true;
    off = dataEnd + 4;
    if (type === 'IEND') break;
  }
  if (!sawIdat) throw new UndecodableImage('PNG has no image data');
  if (!width || !height) throw new UndecodableImage('PNG has zero size');
  return { format: 'png', width, height, ext: 'png' };
}

export function probeJpeg(buf: Buffer): ImageProbe {
  if (buf.length < 4 || buf[0] !== 0xff || buf[1] !== 0xd8) throw new UndecodableImage('not a JPEG');
  let off = 2;
  let width = 0;
  let height = 0;
  let sawScan = false;
  while (off + 4 <= buf.length) {
    if (buf[off] !== 0xff) throw new UndecodableImage('JPEG marker chain is broken');
    const marker = buf[off + 1];
    if (marker === 0xff) {
      off++;
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      off += 2;
      continue;
    }
    const len = buf.readUInt16BE(off + 2);
    if (len < 2 || off + 2 + len > buf.length) throw new UndecodableImage('JPEG is truncated (a segment runs past the end)');
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      height = buf.readUInt16BE(off + 5);
      width = buf.readUInt16BE(off + 7);
    }
    if (marker === 0xda) {
      sawScan = true;
      break;
    }
    off += 2 + len;
  }
  if (!sawScan) throw new UndecodableImage('JPEG has no image data');
  if (!width || !height) throw new UndecodableImage('JPEG has no frame header');
  // Entropy-coded data never contains FF D9 (FF is stuffed), so EOI after the scan start means the file is complete.
  const eoi = buf.lastIndexOf(EOI) >= off;
  if (!eoi) throw new UndecodableImage('JPEG is truncated (no end-of-image marker)');
  return { format: 'jpeg', width, height, ext: 'jpg' };
}

/** Synchronous probe for PNG/JPEG; null when the bytes are another format (then use probeImage). */
export function probeFast(buf: Buffer): ImageProbe | null {
  if (buf.length >= 8 && buf.subarray(0, 8).equals(PNG_SIG)) return probePng(buf);
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xd8) return probeJpeg(buf);
  return null;
}

const EXT: Record<string, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', gif: 'gif', tiff: 'tif', heif: 'heic', avif: 'avif', svg: 'svg', bmp: 'bmp' };

/** Probes any image; throws UndecodableImage with a reason when it cannot be decoded. */
export async function probeImage(buf: Buffer): Promise<ImageProbe> {
  const fast = probeFast(buf);
  if (fast) return fast;
  try {
    const { info } = await sharp(buf, { failOn: 'error' }).raw().toBuffer({ resolveWithObject: true });
    const meta = await sharp(buf).metadata();
    const format = meta.format ?? 'unknown';
    return { format, width: info.width, height: info.height, ext: EXT[format] ?? format };
  } catch (err) {
    throw new UndecodableImage(`cannot be decoded (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
  }
}
