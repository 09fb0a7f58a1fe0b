/**
 * Image checks on import. PNG and JPEG (nearly every dataset) are checked structurally in plain JS — header
 * dimensions, every PNG chunk's length and CRC up to IEND, the JPEG marker chain and its EOI — which catches
 * truncated and garbled files without decoding pixels. A PNG's image data is also inflated (output counted, not
 * kept), since valid CRCs say nothing about the zlib stream inside. Other formats are fully decoded by sharp.
 * Images claiming more than MAX_IMAGE_SIDE px a side or MAX_IMAGE_PIXELS are refused from their header.
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

/** Longest side an imported image may have (also libvips' and most browsers' comfortable limit). */
export const MAX_IMAGE_SIDE = 16384;
/** Pixels an imported image may have: the analysis limit (pipelines/vision/image.ts), so what imports can be analysed. */
export const MAX_IMAGE_PIXELS = 40_000_000;

function checkDimensions(format: string, width: number, height: number): void {
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE || width * height > MAX_IMAGE_PIXELS) {
    throw new UndecodableImage(
      `${format.toUpperCase()} claims ${width}×${height} px, over the import limit of ${MAX_IMAGE_SIDE} px a side and ${MAX_IMAGE_PIXELS / 1e6} MP`,
    );
  }
}

/** Channels per PNG colour type, and the bit depths each allows (PNG spec 11.2.2). */
const PNG_COLOUR: Record<number, { channels: number; depths: number[] }> = {
  0: { channels: 1, depths: [1, 2, 4, 8, 16] },
  2: { channels: 3, depths: [8, 16] },
  3: { channels: 1, depths: [1, 2, 4, 8] },
  4: { channels: 2, depths: [8, 16] },
  6: { channels: 4, depths: [8, 16] },
};

/** Adam7 passes: x start, y start, x step, y step. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

interface PngLayout {
  probe: ImageProbe;
  idat: Buffer[];
  /** Bytes the inflated image data must hold: every row of every pass with its filter byte. */
  expected: number;
  /** Row stride (with its filter byte) when not interlaced, for the filter-type check; 0 when interlaced. */
  stride: number;
}

const EOI = Buffer.from([0xff, 0xd9]);
const PNG_SIG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function parsePng(buf: Buffer): PngLayout {
  if (buf.length < 8 + 25 + 12) throw new UndecodableImage('PNG is too short');
  let off = 8;
  let width = 0;
  let height = 0;
  let depth = 0;
  let colour = 0;
  let interlace = 0;
  const idat: Buffer[] = [];
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
      depth = buf[typeStart + 12];
      colour = buf[typeStart + 13];
      interlace = buf[typeStart + 16];
      first = false;
    }
    if (type === 'IDAT') idat.push(buf.subarray(typeStart + 4, dataEnd));
    off = dataEnd + 4;
    if (type === 'IEND') break;
  }
  if (idat.length === 0) throw new UndecodableImage('PNG has no image data');
  if (!width || !height) throw new UndecodableImage('PNG has zero size');
  checkDimensions('png', width, height);
  const kind = PNG_COLOUR[colour];
  if (!kind || !kind.depths.includes(depth)) throw new UndecodableImage(`PNG has an invalid colour type ${colour} / bit depth ${depth}`);
  if (interlace > 1) throw new UndecodableImage(`PNG has an unknown interlace method ${interlace}`);
  const bits = kind.channels * depth;
  const rowBytes = (w: number) => Math.ceil((w * bits) / 8) + 1;
  let expected = 0;
  if (interlace === 0) expected = height * rowBytes(width);
  else {
    for (const [xs, ys, dx, dy] of ADAM7) {
      const pw = Math.ceil((width - xs) / dx);
      const ph = Math.ceil((height - ys) / dy);
      if (pw > 0 && ph > 0) expected += ph * rowBytes(pw);
    }
  }
  return { probe: { format: 'png', width, height, ext: 'png' }, idat, expected, stride: interlace === 0 ? rowBytes(width) : 0 };
}

/** PNG structure and header (synchronous, no inflating): chunk CRCs, IHDR, dimensions within the import limit. */
export function probePng(buf: Buffer): ImageProbe {
  return parsePng(buf).probe;
}

/** Above this many inflated bytes the image data is streamed through zlib rather than inflated into one buffer. */
const SYNC_INFLATE_BYTES = 8 * 1024 * 1024;

function zlibReason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Inflates a PNG's image data and checks it holds exactly the rows its header promises, with valid filter types. */
async function checkPngData(layout: PngLayout): Promise<void> {
  const { idat, expected, stride } = layout;
  if (expected <= SYNC_INFLATE_BYTES) {
    let out: Buffer;
    try {
      // One byte of slack tells "exactly right" from "too much".
      out = zlib.inflateSync(idat.length === 1 ? idat[0] : Buffer.concat(idat), { maxOutputLength: expected + 1 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new UndecodableImage('PNG image data is larger than its size says');
      throw new UndecodableImage(`PNG image data does not inflate (${zlibReason(err)})`);
    }
    if (out.length !== expected) throw new UndecodableImage(`PNG image data is ${out.length < expected ? 'short' : 'too long'}: ${out.length} of ${expected} bytes`);
    if (stride) for (let at = 0; at < out.length; at += stride) if (out[at] > 4) throw new UndecodableImage(`PNG row ${at / stride} has an invalid filter type ${out[at]}`);
    return;
  }
  // Large images: count the inflated bytes as they stream, never holding them.
  const n = await new Promise<number>((resolve, reject) => {
    const inflate = zlib.createInflate();
    let total = 0;
    inflate.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > expected) {
        inflate.destroy();
        reject(new UndecodableImage('PNG image data is larger than its size says'));
      }
    });
    inflate.on('end', () => resolve(total));
    inflate.on('error', (err) => reject(new UndecodableImage(`PNG image data does not inflate (${zlibReason(err)})`)));
    for (const d of idat) inflate.write(d);
    inflate.end();
  });
  if (n !== expected) throw new UndecodableImage(`PNG image data is short: ${n} of ${expected} bytes`);
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
  checkDimensions('jpeg', width, height);
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

/** Probes any image, PNG image data inflated; throws UndecodableImage with a reason when it cannot be decoded. */
export async function probeImage(buf: Buffer): Promise<ImageProbe> {
  if (buf.length >= 8 && buf.subarray(0, 8).equals(PNG_SIG)) {
    const layout = parsePng(buf);
    await checkPngData(layout);
    return layout.probe;
  }
  const fast = probeFast(buf);
  if (fast) return fast;
  try {
    const meta = await sharp(buf).metadata();
    if (meta.width && meta.height) checkDimensions(meta.format ?? 'image', meta.width, meta.height);
    const { info } = await sharp(buf, { failOn: 'error', limitInputPixels: MAX_IMAGE_PIXELS }).raw().toBuffer({ resolveWithObject: true });
    const format = meta.format ?? 'unknown';
    return { format, width: info.width, height: info.height, ext: EXT[format] ?? format };
  } catch (err) {
    if (err instanceof UndecodableImage) throw err;
    throw new UndecodableImage(`cannot be decoded (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
  }
}
