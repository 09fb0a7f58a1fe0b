/** Zoom and pan of the image stage: the box's size, wheel zoom about the pointer, drag pan, steps about the centre, fit and 100 % (math in zoom.ts). */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type PointerEvent, type RefObject } from 'react';
import { FITTED, ZOOM_STEP, actualSize, fitScale, zoomBy, type Size, type ZoomView } from './zoom';

export interface ZoomPan {
  /** The box's size in CSS pixels. */
  size: Size;
  view: ZoomView;
  /** The scale at which the image fits the box. */
  fit: number;
  zoomIn(): void;
  zoomOut(): void;
  /** Back to fitted and centred. */
  reset(): void;
  /** 100 %: the image at its natural size. */
  actual(): void;
  /** Pointer handlers for the box: drag pans, double-click fits. */
  handlers: {
    onPointerDown(e: PointerEvent<HTMLDivElement>): void;
    onPointerMove(e: PointerEvent<HTMLDivElement>): void;
    onPointerUp(): void;
    onPointerCancel(): void;
    onDoubleClick(): void;
  };
}

export function useZoomPan(boxRef: RefObject<HTMLDivElement | null>, image: Size): ZoomPan {
  const [size, setSize] = useState<Size>({ w: 0, h: 0 });
  const [view, setView] = useState<ZoomView>(FITTED);
  const drag = useRef<{ x: number; y: number; vx: number; vy: number } | null>(null);
  const fit = fitScale(size, image);

  useLayoutEffect(() => {
    const el = boxRef.current;
    if (!el) return;
    const measure = () => setSize({ w: el.clientWidth, h: el.clientHeight });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [boxRef]);

  /** Zooms by `factor` about a point of the box (its centre by default). */
  const zoomAt = useCallback(
    (factor: number, cx = size.w / 2, cy = size.h / 2) => setView((v) => zoomBy(v, fit, factor, { x: cx - size.w / 2, y: cy - size.h / 2 })),
    [size.w, size.h, fit],
  );

  useEffect(() => {
    const el = boxRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = el.getBoundingClientRect();
      zoomAt(Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
    };
    // Not passive: the wheel zooms the image instead of scrolling the page.
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [boxRef, zoomAt]);

  const reset = useCallback(() => setView((v) => (v.fitted && v.x === 0 && v.y === 0 ? v : FITTED)), []);
  const actual = useCallback(() => setView((v) => actualSize(v, fit)), [fit]);
  const zoomIn = useCallback(() => zoomAt(ZOOM_STEP), [zoomAt]);
  const zoomOut = useCallback(() => zoomAt(1 / ZOOM_STEP), [zoomAt]);

  const handlers = useMemo(
    () => ({
      onPointerDown(e: PointerEvent<HTMLDivElement>) {
        if (e.button !== 0) return;
        e.currentTarget.setPointerCapture(e.pointerId);
        drag.current = { x: e.clientX, y: e.clientY, vx: view.x, vy: view.y };
      },
      onPointerMove(e: PointerEvent<HTMLDivElement>) {
        const d = drag.current;
        // A fitted image that is dragged keeps its scale from here on.
        if (d && (e.clientX !== d.x || e.clientY !== d.y)) setView((v) => ({ fitted: false, scale: v.fitted ? fit : v.scale, x: d.vx + e.clientX - d.x, y: d.vy + e.clientY - d.y }));
      },
      onPointerUp: () => void (drag.current = null),
      onPointerCancel: () => void (drag.current = null),
      onDoubleClick: reset,
    }),
    [view.x, view.y, reset, fit],
  );

  return { size, view, fit, zoomIn, zoomOut, reset, actual, handlers };
}
