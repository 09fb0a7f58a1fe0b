/** The face image, large, with wheel/key zoom and drag pan (useZoomPan), and the analysis overlay as SVG in image space. */
import { forwardRef, memo, useEffectEvent, useImperativeHandle, useLayoutEffect, useRef, useState } from 'react';
import type { AnalysisOverlay } from '../../../contract/types';
import { useZoomPan } from './useZoomPan';

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

export const ImageStage = memo(
  forwardRef<ImageStageHandle, Props>(function ImageStage(
  { src, width, height, alt, analysis, overlay, highlightAUs, onLoaded },
  ref,
) {
  const boxRef = useRef<HTMLDivElement>(null);
  const imgRef = useRef<HTMLImageElement>(null);
  const { size, view, zoomIn, zoomOut, reset, handlers } = useZoomPan(boxRef);
  const [natural, setNatural] = useState({ w: width, h: height });

  // A new image starts fitted and centred (at the size its record gives, until it loads).
  const onNewImage = useEffectEvent((imageSrc: string) => {
    reset();
    setNatural((n) => (n.w === (width || 1) && n.h === (height || 1) ? n : { w: width || 1, h: height || 1 }));
    const img = imgRef.current;
    if (img && img.complete && img.naturalWidth > 0) onLoaded(imageSrc);
  });
  useLayoutEffect(() => onNewImage(src), [src]);

  useImperativeHandle(ref, () => ({ zoomIn, zoomOut, reset }), [zoomIn, zoomOut, reset]);

  const w = natural.w;
  const h = natural.h;
  const fit = size.w && size.h ? Math.min((size.w - 24) / w, (size.h - 24) / h) : 1;
  const scale = fit * view.zoom;
  const left = (size.w - w * scale) / 2 + view.x;
  const top = (size.h - h * scale) / 2 + view.y;

  const strokeW = 1.5 / scale;
  const highlight = new Set(highlightAUs);

  return (
    <div
      ref={boxRef}
      className="stage"
      data-testid="image-stage"
      {...handlers}
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
      {overlay && !analysis && <div className="stage-note">
          No analysis for this image — <a href="#/import" data-testid="run-analysis-link">run analysis</a> to see landmarks
        </div>}
      <div className="stage-zoom">{Math.round(view.zoom * 100)}%</div>
    </div>
  );
}),
);
