/** Zoom and pan of the image stage: the box's size, wheel zoom about the pointer, drag pan, and zoom steps about the centre. */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type PointerEvent, type RefObject } from 'react';

const MIN_ZOOM = 0.5;
const MAX_ZOOM = 12;
/** One zoom-in step (a key or button press); zooming out divides by it. */
const ZOOM_STEP = 1.25;
const FITTED = { zoom: 1, x: 0, y: 0 };

export interface ZoomPan {
  /** The box's size in CSS pixels. */
  size: { w: number; h: number };
  /** Zoom over the fitted size, and the pan offset from the centred position. */
  view: { zoom: number; x: number; y: number };
  zoomIn(): void;
  zoomOut(): void;
  /** Back to fitted and centred. */
  reset(): void;
  /** Pointer handlers for the box: drag pans, double-click resets. */
  handlers: {
    onPointerDown(e: PointerEvent<HTMLDivElement>): void;
    onPointerMove(e: PointerEvent<HTMLDivElement>): void;
    onPointerUp(): void;
    onPointerCancel(): void;
    onDoubleClick(): void;
  };
}

export function useZoomPan(boxRef: RefObject<HTMLDivElement | null>): ZoomPan {
  const [size, setSize] = useState({ w: 0, h: 0 });
  const [view, setView] = useState(FITTED);
  const drag = useRef<{ x: number; y: number; vx: number; vy: number } | null>(null);

  useLayoutEffect(() => {
    const el = boxRef.current;
    if (!el) return;
    const measure = () => setSize({ w: el.clientWidth, h: el.clientHeight });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [boxRef]);

  const zoomAt = useCallback(
    (factor: number, cx: number, cy: number) => {
      setView((v) => {
        const zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, v.zoom * factor));
        const f = zoom / v.zoom;
        // Keep the point under (cx, cy) still: offsets are relative to the centred position.
        const ox = cx - size.w / 2;
        const oy = cy - size.h / 2;
        return { zoom, x: ox - (ox - v.x) * f, y: oy - (oy - v.y) * f };
      });
    },
    [size.w, size.h],
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

  const reset = useCallback(() => setView((v) => (v.zoom === 1 && v.x === 0 && v.y === 0 ? v : FITTED)), []);
  const zoomIn = useCallback(() => zoomAt(ZOOM_STEP, size.w / 2, size.h / 2), [zoomAt, size.w, size.h]);
  const zoomOut = useCallback(() => zoomAt(1 / ZOOM_STEP, size.w / 2, size.h / 2), [zoomAt, size.w, size.h]);

  const handlers = useMemo(
    () => ({
      onPointerDown(e: PointerEvent<HTMLDivElement>) {
        if (e.button !== 0) return;
        e.currentTarget.setPointerCapture(e.pointerId);
        drag.current = { x: e.clientX, y: e.clientY, vx: view.x, vy: view.y };
      },
      onPointerMove(e: PointerEvent<HTMLDivElement>) {
        const d = drag.current;
        if (d) setView((v) => ({ ...v, x: d.vx + e.clientX - d.x, y: d.vy + e.clientY - d.y }));
      },
      onPointerUp: () => void (drag.current = null),
      onPointerCancel: () => void (drag.current = null),
      onDoubleClick: reset,
    }),
    [view.x, view.y, reset],
  );

  return { size, view, zoomIn, zoomOut, reset, handlers };
}
