/** The image stage's zoom math: fit follows the stage, 100 % is one image pixel per screen pixel, zooming keeps the point under the pointer. */
import { FITTED, actualSize, fitScale, placement, zoomBy, zoomLabel, zoomLimits, zoomTo } from '../../renderer/src/label/zoom';

const box = { w: 824, h: 624 };
const image = { w: 400, h: 300 };

test('fit is the largest scale that shows the whole image inside the margin', () => {
  expect(fitScale(box, image)).toBe(2); // (824 − 24) / 400 = 2, (624 − 24) / 300 = 2
  expect(fitScale({ w: 424, h: 1000 }, image)).toBe(1);
  expect(fitScale({ w: 0, h: 0 }, image)).toBe(1);
});

test('a fitted view is centred at the fit scale and says so', () => {
  expect(placement(box, image, FITTED)).toEqual({ scale: 2, left: 12, top: 12 });
  expect(zoomLabel(FITTED, 2)).toBe('Fit · 200 %');
});

test('100 % shows the image at its natural size, centred, on whole pixels', () => {
  const view = actualSize(FITTED, fitScale(box, image));
  expect(view).toEqual({ fitted: false, scale: 1, x: 0, y: 0 });
  const at = placement(box, image, view);
  expect(at).toEqual({ scale: 1, left: 212, top: 162 });
  expect(image.w * at.scale).toBe(400);
  expect(zoomLabel(view, 2)).toBe('100 %');
  // An odd leftover is rounded, so the image's pixels land on screen pixels.
  expect(placement({ w: 825, h: 625 }, image, view)).toMatchObject({ left: 213, top: 163 });
});

test('100 % from a panned, zoomed view keeps the stage centre\'s image point in the centre', () => {
  const zoomed = { fitted: false, scale: 4, x: 40, y: -20 };
  expect(actualSize(zoomed, 2)).toEqual({ fitted: false, scale: 1, x: 10, y: -5 });
});

test('a zoom step about a point keeps that point still', () => {
  const fit = 2;
  const about = { x: 100, y: 50 }; // offset from the stage centre
  const v = zoomBy(FITTED, fit, 1.25, about);
  expect(v.scale).toBeCloseTo(2.5);
  // The image point under `about` before: (about − pan) / scale; after, the same.
  expect((about.x - v.x) / v.scale).toBeCloseTo((about.x - 0) / 2);
  expect((about.y - v.y) / v.scale).toBeCloseTo((about.y - 0) / 2);
});

test('zooming is clamped between half the smaller and 12 times the larger of fit and 100 %', () => {
  expect(zoomLimits(2)).toEqual({ min: 0.5, max: 24 });
  expect(zoomLimits(0.25)).toEqual({ min: 0.125, max: 12 });
  expect(zoomTo(FITTED, 2, 1000).scale).toBe(24);
  expect(zoomTo(FITTED, 2, 0.01).scale).toBe(0.5);
});
