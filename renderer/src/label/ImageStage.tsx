/** The face image, large, with wheel/key zoom, drag pan, and the analysis overlay as SVG in image space. */
import { forwardRef, memo, useCallback, useEffect, useEffectEvent, useImperativeHandle, useLayoutEffect, useRef, useState } from 'react';
import type { AnalysisOverlay } from '../../../contract/types';

export interface ImageStageHandle {
  zoomIn(): void;
  zoomOut(): void;
  reset(): void;
}

interface Props {
  src: string;
  width: number;
  height: number;
  alt: string;
  analysis: AnalysisOverlay | null;
  overlay: boolean;
  highlightAUs: string[];
  onLoaded(src: string): void;
}

const MIN_ZOOM = 0.5;
const MAX_ZOOM = 12;
/** One zoom-in step (a key or button press); zooming out divides by it. */
const ZOOM_STEP = 1.25;

export const ImageStage = memo(
  forwardRef<ImageStageHandle, Props>(function ImageStage(
  { src, width, height, alt, analysis, overlay, highlightAUs, onLoaded },
  ref,
) {
  const boxRef = useRef<HTMLDivElement>(null);
  const imgRef = useRef<HTMLImageElement>(null);
  const [size, setSize] = useState({ w: 0, h: 0 });
  const [view, setView] = useState({ zoom: 1, x: 0, y: 0 });
  const drag = useRef<{ x: number; y: number; vx: number; vy: number } | null>(null);
  const [natural, setNatural] = useState({ w: width, h: height });

  useLayoutEffect(() => {
    const el = boxRef.current;
    if (!el) return;
    const measure = () => setSize({ w: el.clientWidth, h: el.clientHeight });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // A new image starts fitted and centred (at the size its record gives, until it loads).
  const onNewImage = useEffectEvent((imageSrc: string) => {
    setView((v) => (v.zoom === 1 && v.x === 0 && v.y === 0 ? v : { zoom: 1, x: 0, y: 0 }));
    setNatural((n) => (n.w === (width || 1) && n.h === (height || 1) ? n : { w: width || 1, h: height || 1 }));
    const img = imgRef.current;
    if (img && img.complete && img.naturalWidth > 0) onLoaded(imageSrc);
  });
  useLayoutEffect(() => onNewImage(src), [src]);

  const w = natural.w;
  const h = natural.h;
  const fit = size.w && size.h ? Math.min((size.w - 24) / w, (size.h - 24) / h) : 1;
  const scale = fit * view.zoom;
  const left = (size.w - w * scale) / 2 + view.x;
  const top = (size.h - h * scale) / 2 + view.y;

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

  useImperativeHandle(ref, () => ({
    zoomIn: () => zoomAt(ZOOM_STEP, size.w / 2, size.h / 2),
    zoomOut: () => zoomAt(1 / ZOOM_STEP, size.w / 2, size.h / 2),
    reset: () => setView({ zoom: 1, x: 0, y: 0 }),
  }));

  useEffect(() => {
    const el = boxRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = el.getBoundingClientRect();
      zoomAt(Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [zoomAt]);

  const strokeW = 1.5 / scale;
  const highlight = new Set(highlightAUs);

  return (
    <div
      ref={boxRef}
      className="stage"
      data-testid="image-stage"
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        (e.currentTarget as HTMLDivElement).setPointerCapture(e.pointerId);
        drag.current = { x: e.clientX, y: e.clientY, vx: view.x, vy: view.y };
      }}
      onPointerMove={(e) => {
        const d = drag.current;
        if (d) setView((v) => ({ ...v, x: d.vx + e.clientX - d.x, y: d.vy + e.clientY - d.y }));
      }}
      onPointerUp={() => (drag.current = null)}
      onPointerCancel={() => (drag.current = null)}
      onDoubleClick={() => setView({ zoom: 1, x: 0, y: 0 })}
    >
      <div className="stage-canvas" style={{ width: w, height: h, transform: `translate(${left}px, ${top}px) scale(${scale})` }}>
        <img
          ref={imgRef}
          src={src}
          alt={alt}
          width={w}
          height={h}
          draggable={false}
          onLoad={(e) => {
            const img = e.currentTarget;
            if (img.naturalWidth && (img.naturalWidth !== w || img.naturalHeight !== h)) setNatural({ w: img.naturalWidth, h: img.naturalHeight });
            onLoaded(src);
          }}
        />
        {overlay && analysis && (
          <svg className="overlay" data-testid="overlay" viewBox={`0 0 ${w} ${h}`} width={w} height={h}>
            {analysis.box && (
              <rect className="ov-box" x={analysis.box.x} y={analysis.box.y} width={analysis.box.width} height={analysis.box.height} strokeWidth={strokeW} />
            )}
            {analysis.auRegions.map((r) => {
              const cx = r.points.reduce((s, p) => s + p[0], 0) / Math.max(1, r.points.length);
              const cy = r.points.reduce((s, p) => s + p[1], 0) / Math.max(1, r.points.length);
              const cls = `ov-region${r.present ? ' present' : ''}${highlight.has(r.au) ? ' selected' : ''}`;
              return (
                <g key={r.au} className={cls}>
                  <title>{`${r.au} score ${r.score.toFixed(2)}${r.present ? ' (present)' : ''}`}</title>
                  {r.points.length > 2 ? (
                    <polygon points={r.points.map((p) => p.join(',')).join(' ')} strokeWidth={strokeW} style={{ fillOpacity: 0.08 + 0.3 * r.score }} />
                  ) : (
                    r.points.map((p, i) => <circle key={i} cx={p[0]} cy={p[1]} r={4 / scale} strokeWidth={strokeW} />)
                  )}
                  <text x={cx} y={cy} fontSize={11 / scale} textAnchor="middle" dominantBaseline="middle">
                    {r.au.slice(2)}
                  </text>
                </g>
              );
            })}
            {analysis.landmarks.map(([x, y], i) => (
              <circle key={i} className="ov-landmark" cx={x} cy={y} r={1.6 / scale} />
            ))}
          </svg>
        )}
      </div>
      {overlay && !analysis && <div className="stage-note">No analysis for this image — run analysis to see landmarks</div>}
      <div className="stage-zoom">{Math.round(view.zoom * 100)}%</div>
    </div>
  );
}),
);
