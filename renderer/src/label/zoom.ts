/**
 * The image stage's zoom math, in CSS pixels. A view is either fitted (the image as large as the stage allows, its
 * scale following the stage's size) or at an absolute scale: screen pixels per image pixel, so 1 is 100 %, the
 * image's natural size. Pan offsets are from the centred position.
 */

export interface Size {
  w: number;
  h: number;
}

export interface ZoomView {
  fitted: boolean;
  /** Screen pixels per image pixel; read through `scaleOf` (a fitted view's scale is the fit). */
  scale: number;
  x: number;
  y: number;
}

export const FITTED: ZoomView = { fitted: true, scale: 1, x: 0, y: 0 };
/** The stage's margin around a fitted image. */
export const FIT_MARGIN = 12;
/** One zoom-in step (a key or button press); zooming out divides by it. */
export const ZOOM_STEP = 1.25;

/** The scale at which the whole image fits the stage with its margin; 1 until both are measured. */
export function fitScale(box: Size, image: Size): number {
  if (box.w <= 0 || box.h <= 0 || image.w <= 0 || image.h <= 0) return 1;
  return Math.max(1e-3, Math.min((box.w - 2 * FIT_MARGIN) / image.w, (box.h - 2 * FIT_MARGIN) / image.h));
}

/** Zooming stops at half the smaller of fit and 100 %, and at 12 times the larger. */
export function zoomLimits(fit: number): { min: number; max: number } {
  return { min: Math.min(fit, 1) / 2, max: Math.max(fit, 1) * 12 };
}

export function scaleOf(view: ZoomView, fit: number): number {
  return view.fitted ? fit : view.scale;
}

/**
 * The view scaled to `scale` (clamped to the limits) about a point given as its offset from the stage's centre,
 * which stays still on screen.
 */
export function zoomTo(view: ZoomView, fit: number, scale: number, about: { x: number; y: number } = { x: 0, y: 0 }): ZoomView {
  const { min, max } = zoomLimits(fit);
  const from = scaleOf(view, fit);
  const to = Math.min(max, Math.max(min, scale));
  const f = to / from;
  return { fitted: false, scale: to, x: about.x - (about.x - view.x) * f, y: about.y - (about.y - view.y) * f };
}

export function zoomBy(view: ZoomView, fit: number, factor: number, about?: { x: number; y: number }): ZoomView {
  return zoomTo(view, fit, scaleOf(view, fit) * factor, about);
}

/** 100 %: one image pixel per screen pixel, about the stage's centre. */
export function actualSize(view: ZoomView, fit: number): ZoomView {
  return zoomTo(view, fit, 1);
}

/** Where the image goes: its scale and its top-left corner in the stage, on whole pixels so 100 % stays sharp. */
export function placement(box: Size, image: Size, view: ZoomView): { scale: number; left: number; top: number } {
  const scale = scaleOf(view, fitScale(box, image));
  return {
    scale,
    left: Math.round((box.w - image.w * scale) / 2 + view.x),
    top: Math.round((box.h - image.h * scale) / 2 + view.y),
  };
}

/** What the stage's corner says: "Fit · 37 %", or the absolute percentage. */
export function zoomLabel(view: ZoomView, fit: number): string {
  const percent = `${Math.round(scaleOf(view, fit) * 100)} %`;
  return view.fitted ? `Fit · ${percent}` : percent;
}
