/** The face image, large, with wheel/key zoom and drag pan (useZoomPan), and the analysis overlay as SVG in image space. */
import { forwardRef, memo, useEffectEvent, useImperativeHandle, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { AnalysisOverlay } from '../../../contract/types';
import { auName } from '../../../pipelines/facs/vocabulary';
import { layoutLabels } from './overlayLabels';
import { useZoomPan } from './useZoomPan';
import { placement, zoomLabel } from './zoom';

export interface ImageStageHandle {
  zoomIn(): void;
  zoomOut(): void;
  /** Fit the image to the stage. */
  reset(): void;
  /** 100 %: natural size. */
  actual(): void;
}

/** An overlay label's size on screen, in CSS pixels: 11 px monospace digits with a small margin. */
const LABEL_FONT_PX = 11;
const labelSize = (text: string) => ({ w: text.length * 7 + 4, h: LABEL_FONT_PX + 3 });

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
  const [natural, setNatural] = useState({ w: width || 1, h: height || 1 });
  const { size, view, fit, zoomIn, zoomOut, reset, actual, handlers } = useZoomPan(boxRef, natural);

  // A new image starts fitted and centred (at the size its record gives, until it loads).
  const onNewImage = useEffectEvent((imageSrc: string) => {
    reset();
    setNatural((n) => (n.w === (width || 1) && n.h === (height || 1) ? n : { w: width || 1, h: height || 1 }));
    const img = imgRef.current;
    if (img && img.complete && img.naturalWidth > 0) onLoaded(imageSrc);
  });
  useLayoutEffect(() => onNewImage(src), [src]);

  useImperativeHandle(ref, () => ({ zoomIn, zoomOut, reset, actual }), [zoomIn, zoomOut, reset, actual]);

  const w = natural.w;
  const h = natural.h;
  const { scale, left, top } = placement(size, natural, view);

  const strokeW = 1.5 / scale;
  const highlight = new Set(highlightAUs);
  // Labels are laid out in image space at their on-screen size, so none overlaps another at this zoom.
  const regionLabels = useMemo(() => {
    // An AU can have two regions (left and right): ids are their positions in the list.
    const boxes = (analysis?.auRegions ?? []).map((r, i) => {
      const n = Math.max(1, r.points.length);
      const text = r.au.slice(2);
      const px = labelSize(text);
      return { id: String(i), x: r.points.reduce((s, p) => s + p[0], 0) / n, y: r.points.reduce((s, p) => s + p[1], 0) / n, w: px.w / scale, h: px.h / scale };
    });
    const placed = new Map(layoutLabels(boxes, 2 / scale).map((p) => [p.id, p]));
    return new Map(boxes.map((b) => [b.id, { anchor: b, at: placed.get(b.id)! }]));
  }, [analysis, scale]);

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
            {analysis.auRegions.map((r, i) => {
              const label = regionLabels.get(String(i))!;
              const cls = `ov-region${r.present ? ' present' : ''}${highlight.has(r.au) ? ' selected' : ''}`;
              return (
                <g key={`${r.au}-${i}`} className={cls}>
                  <title>{`${r.au} ${auName(r.au)} · score ${r.score.toFixed(2)}${r.present ? ' (present)' : ''}`}</title>
                  {r.points.length > 2 ? (
                    <polygon points={r.points.map((p) => p.join(',')).join(' ')} strokeWidth={strokeW} style={{ fillOpacity: 0.08 + 0.3 * r.score }} />
                  ) : (
                    r.points.map((p, j) => <circle key={j} cx={p[0]} cy={p[1]} r={4 / scale} strokeWidth={strokeW} />)
                  )}
                  {label.at.moved && <line className="ov-leader" x1={label.anchor.x} y1={label.anchor.y} x2={label.at.x} y2={label.at.y} strokeWidth={strokeW / 1.5} />}
                  <text className="ov-label" data-au={r.au} x={label.at.x} y={label.at.y} fontSize={LABEL_FONT_PX / scale} textAnchor="middle" dominantBaseline="middle">
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
      {overlay && !analysis && (
        <div className="stage-note">
          No analysis for this image — <a href="#/import" data-testid="run-analysis-link">run analysis</a> to see landmarks
        </div>
      )}
      <div className="stage-zoom" data-testid="stage-zoom" data-scale={scale}>
        {zoomLabel(view, fit)}
      </div>
    </div>
  );
}),
);
