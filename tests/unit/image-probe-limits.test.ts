import { MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE, probeFast, probeImage, UndecodableImage } from '../../pipelines/formats/image-probe';
import { makePng, pngBrokenZlib, pngHeaderOnly, pngWithIdat } from '../support/png';
import * as zlib from 'node:zlib';

describe('PNG probe on import', () => {
  test('a zlib stream that does not inflate is refused although every CRC is valid', async () => {
    const broken = pngBrokenZlib(1);
    expect(probeFast(broken)).toMatchObject({ width: 16, height: 16 });
    await expect(probeImage(broken)).rejects.toThrow(/does not inflate/);
    await expect(probeImage(pngWithIdat(16, 16, Buffer.from('not zlib at all')))).rejects.toThrow(UndecodableImage);
  });

  test('image data shorter or longer than the header promises, and bad filter types, are refused', async () => {
    await expect(probeImage(pngHeaderOnly(64, 64))).rejects.toThrow(/short: 1024 of 12352 bytes/);
    await expect(probeImage(pngWithIdat(4, 4, zlib.deflateSync(Buffer.alloc(200))))).rejects.toThrow(/larger than its size says/);
    const badFilter = Buffer.alloc(4 * (4 * 3 + 1));
    badFilter[0] = 9;
    await expect(probeImage(pngWithIdat(4, 4, zlib.deflateSync(badFilter)))).rejects.toThrow(/invalid filter type 9/);
  });

  test(`dimensions over ${MAX_IMAGE_SIDE} px a side or ${MAX_IMAGE_PIXELS / 1e6} MP are refused from the header`, async () => {
    expect(() => probeFast(pngHeaderOnly(100_000, 100_000))).toThrow(/claims 100000×100000 px/);
    expect(() => probeFast(pngHeaderOnly(MAX_IMAGE_SIDE + 1, 1))).toThrow(/over the import limit/);
    expect(() => probeFast(pngHeaderOnly(8000, 6000))).toThrow(/over the import limit/);
    // Within the limits, a large image's data is streamed through zlib (not inflated into one buffer) and checked.
    await expect(probeImage(pngHeaderOnly(4000, 3000))).rejects.toThrow(/short/);
    expect(await probeImage(makePng(3, 300, 200))).toEqual({ format: 'png', width: 300, height: 200, ext: 'png' });
  });
});
