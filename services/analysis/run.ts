/**
 * `fea analyze` / analysis.start: analyses every image without an analyses row in a worker pool and writes
 * each result in its own transaction as it arrives, so an interrupted run loses nothing and a rerun resumes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Workspace } from '../../db/open';
import {
  analysisLandmarks,
  countAnalyses,
  deleteFailedAnalyses,
  ensureModel,
  facesBySource,
  imagesWithoutDescriptor,
  neutralReferenceImages,
  pendingImages,
  saveAnalysis,
  type NewPrediction,
  type PendingImage,
  type SourceFaces,
} from '../../db/repositories/analysis';
import { getMeta, setMeta, vocabulary } from '../../db/repositories/vocabulary';
import type { AnalysisResult, FaceAnalysis } from '../../pipelines/vision/analyze';
import { baselineFromLandmarks, ESTIMATED_AUS, GEOMETRIC_AU_VERSION, presentAUs, type Reference } from '../../pipelines/vision/au-estimates';
import { draftReasoning } from '../../pipelines/vision/draft-reasoning';
import { topEmotion } from '../../pipelines/vision/expressions';
import { FACE_API_VERSION } from '../../pipelines/vision/faceapi';
import { DEFAULT_EXPRESSION_VIEWS } from '../../pipelines/vision/expression-views';
import { DEFAULT_PIXEL_LIMIT } from '../../pipelines/vision/image';
import { AnalyzerPool } from '../../pipelines/vision/pool';
import { fillDescriptors } from './descriptors';
import { fillExpressionViews } from './expression-views';
import { checkWorkerCount } from './workers';

export const CROPS_DIR = 'crops';
/** What earlier analyses can be given again (AnalyzeRunOptions.descriptor, fillViews), and what each computes, in words. */
export const FILL_WHAT = { descriptors: 'recognition descriptors', views: 'expression views' } as const;
export type AnalysisFill = keyof typeof FILL_WHAT;
export const EXPRESSION_MODEL = 'face-api-expression';
export const AU_MODEL = 'geometric-au';

export interface AnalyzeRunOptions {
  workers?: number;
  signal?: AbortSignal;
  pixelLimit?: number;
  /** Forget earlier failures (corrupt, refused) and try those images again. */
  retryFailed?: boolean;
  /**
   * Compute the 128-d recognition descriptor (default false: it is the costliest net after the detector and only the
   * policy's frozen image feature reads it). True also fills it in for images analysed earlier without one; training
   * computes the ones it needs itself (services/analysis/descriptors.ts).
   */
  descriptor?: boolean;
  /** Expression feature views per image (pipelines/vision/expression-features.ts; default DEFAULT_EXPRESSION_VIEWS: the face and its mirror). */
  expressionViews?: number;
  /** Also give images analysed earlier with fewer than `expressionViews` views the rest (each is analysed again). */
  fillViews?: boolean;
  onProgress?: (p: { done: number; total: number; analyzed: number; skipped: number; failed: number; facesFound: number }) => void;
  /** Progress of a fill (`descriptor`, `fillViews`): they run, one after the other, before the images not analysed yet. */
  onFillProgress?: (p: { fill: AnalysisFill; done: number; total: number }) => void;
  /** Called after each image is committed (tests use it to interrupt a run at a known point). */
  onResult?: (imageId: number, ok: boolean) => void;
}

export interface AnalyzeSummary {
  /** Images analysed in this run. */
  analyzed: number;
  /** Images refused or undecodable (corrupt, too large, missing file): reported, recorded, not retried. */
  skipped: number;
  /** Images whose analysis failed for another reason (e.g. a worker crash). */
  failed: number;
  /** Of the analysed images, those where the detector found a face (the rest used the whole image). */
  facesFound: number;
  /**
   * Every successful analysis in the workspace (this run and earlier ones) per dataset source (images.source, else
   * records.source; '(none)'): analysed, faces found, and how they were found.
   */
  facesBySource: Record<string, SourceFaces>;
  /** Images that already had an analysis before this run. */
  alreadyAnalyzed: number;
  /** Images still without an analysis (after a stop). */
  remaining: number;
  /** With `descriptor`: images analysed earlier whose descriptor this run computed. */
  descriptorsFilled: number;
  /** With `fillViews`: images analysed earlier that this run gave `expressionViews` views. */
  viewsFilled: number;
  stopped: boolean;
  backend: string;
  workers: number;
  seconds: number;
  errors: { image: string; reason: string }[];
}

export async function runAnalysis(ws: Workspace, options: AnalyzeRunOptions = {}): Promise<AnalyzeSummary> {
  checkWorkerCount(options.workers);
  const t0 = Date.now();
  const db = ws.db;
  if (options.retryFailed) deleteFailedAnalyses(db);
  const before = countAnalyses(db).total;
  const pending = pendingImages(db);
  const references = neutralReferenceImages(db);
  const referenceIds = new Set(references.values());
  // Subjects' neutral images first, so the other images of those subjects can be measured against them.
  const phases = [pending.filter((p) => referenceIds.has(p.id)), pending.filter((p) => !referenceIds.has(p.id))];
  const emotions = vocabulary(db, 'emotion');
  const summary: AnalyzeSummary = {
    analyzed: 0, skipped: 0, failed: 0, facesFound: 0, facesBySource: {}, alreadyAnalyzed: before, remaining: pending.length, descriptorsFilled: 0, viewsFilled: 0,
    stopped: false, backend: 'unknown', workers: 0, seconds: 0, errors: [],
  };
  const total = pending.length;
  let done = 0;
  const report = () => options.onProgress?.({ done, total, analyzed: summary.analyzed, skipped: summary.skipped, failed: summary.failed, facesFound: summary.facesFound });
  const fillOptions = (fill: AnalysisFill) => ({
    workers: options.workers,
    signal: options.signal,
    onProgress: (p: { done: number; total: number }) => options.onFillProgress?.({ fill, ...p }),
  });
  if (options.descriptor === true && !options.signal?.aborted) {
    // Earlier analyses made without the descriptor get it now (their other results stay as they are).
    summary.descriptorsFilled = await fillDescriptors(ws, imagesWithoutDescriptor(db, null), fillOptions('descriptors'));
  }
  if (options.fillViews === true && !options.signal?.aborted) {
    summary.viewsFilled = await fillExpressionViews(ws, options.expressionViews ?? DEFAULT_EXPRESSION_VIEWS, fillOptions('views'));
  }
  report();
  if (total === 0 || options.signal?.aborted) {
    summary.backend = getMeta(db, 'backend') ?? 'unknown';
    summary.stopped = !!options.signal?.aborted;
    summary.seconds = (Date.now() - t0) / 1000;
    summary.facesBySource = facesBySource(db);
    return summary;
  }

  const pool = new AnalyzerPool({ workers: options.workers });
  summary.workers = pool.size;
  try {
    summary.backend = await pool.ready();
    setMeta(db, 'backend', summary.backend);
    const models = {
      expression: ensureModel(db, {
        name: EXPRESSION_MODEL, version: FACE_API_VERSION, kind: 'expression', backend: summary.backend,
        config: { package: '@vladmandic/face-api', detector: 'tiny_face_detector', draft: 'emotion from face_expression_model; AUs from geometric-au; composed reasoning' },
      }),
      au: ensureModel(db, {
        name: AU_MODEL, version: GEOMETRIC_AU_VERSION, kind: 'au-estimator', backend: summary.backend,
        config: { landmarks: 'face_landmark_68_model', aus: ESTIMATED_AUS, doc: 'pipelines/vision/AU-ESTIMATES.md' },
      }),
    };
    const baselines = new Map<string, Reference | null>();
    const baselineFor = (img: PendingImage): Reference | null => {
      if (!img.subject || referenceIds.has(img.id)) return null;
      if (!baselines.has(img.subject)) {
        const refId = references.get(img.subject);
        const lm = refId === undefined ? null : analysisLandmarks(db, refId);
        baselines.set(img.subject, lm ? baselineFromLandmarks(lm) : null);
      }
      return baselines.get(img.subject) ?? null;
    };
    const pixelLimit = options.pixelLimit ?? DEFAULT_PIXEL_LIMIT;
    const inFlightMax = pool.size * 2;

    for (const phase of phases) {
      const inFlight = new Set<Promise<void>>();
      for (const img of phase) {
        if (options.signal?.aborted) break;
        while (inFlight.size >= inFlightMax) await Promise.race(inFlight);
        if (options.signal?.aborted) break;
        const job = (async () => {
          const baseline = baselineFor(img);
          const result = await analyzeOne(ws, pool, img, { pixelLimit, baseline, descriptor: options.descriptor, expressionViews: options.expressionViews });
          // A stop honoured mid-image still keeps the finished result: it is complete and costs one transaction.
          const ok = store(ws, img, result, baseline !== null, models, emotions, summary);
          done++;
          report();
          options.onResult?.(img.id, ok);
        })();
        inFlight.add(job);
        void job.finally(() => inFlight.delete(job));
      }
      await Promise.all(inFlight);
      if (options.signal?.aborted) break;
    }
  } finally {
    await pool.close();
  }
  summary.stopped = !!options.signal?.aborted;
  summary.remaining = pendingImages(db).length;
  summary.facesBySource = facesBySource(db);
  summary.seconds = Math.round((Date.now() - t0) / 100) / 10;
  return summary;
}

async function analyzeOne(
  ws: Workspace,
  pool: AnalyzerPool,
  img: PendingImage,
  options: { pixelLimit: number; baseline: Reference | null; descriptor?: boolean; expressionViews?: number },
): Promise<AnalysisResult> {
  let bytes: Buffer;
  try {
    bytes = await fs.promises.readFile(path.join(ws.mediaDir, img.rel_path));
  } catch (err) {
    return { ok: false, code: 'undecodable', error: `cannot read image file: ${(err as Error).message}`, backend: pool.backend };
  }
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return pool.analyze(ab, options);
}

function store(
  ws: Workspace,
  img: PendingImage,
  result: AnalysisResult,
  subjectBaseline: boolean,
  models: { expression: number; au: number },
  emotions: string[],
  summary: AnalyzeSummary,
): boolean {
  const label = `${img.original_name} (image ${img.id})`;
  if (!result.ok) {
    const skipped = result.code !== 'error';
    if (skipped) summary.skipped++;
    else summary.failed++;
    summary.errors.push({ image: label, reason: result.error });
    // Worker crashes are not recorded, so a rerun tries the image again; refused and corrupt images are.
    if (skipped) {
      saveAnalysis(ws.db, {
        imageId: img.id, faceFound: false, box: null, landmarks: [], descriptor: null, cropGrayPath: null, cropColorPath: null,
        auEstimates: {}, expressions: {}, phash: null, backend: result.backend, error: `${result.code}: ${result.error}`,
      });
    }
    return false;
  }
  const crops = writeCrops(ws, img.sha256, result);
  const expressions = Object.fromEntries(Object.entries(result.expressions).filter(([e]) => emotions.includes(e)));
  const top = topEmotion(expressions);
  const aus = ESTIMATED_AUS.map((au) => ({ au, score: result.auEstimates[au].score, present: result.auEstimates[au].present }));
  const present = presentAUs(result.auEstimates);
  const predictions: NewPrediction[] = [
    { modelId: models.au, emotion: null, score: null, emotionScores: {}, aus, reasoning: '' },
    {
      modelId: models.expression,
      emotion: top?.emotion ?? null,
      score: top ? Math.round(top.score * 10000) / 10000 : null,
      emotionScores: roundScores(expressions),
      aus,
      reasoning: top ? draftReasoning(top.emotion, present) : '',
    },
  ];
  const saved = saveAnalysis(
    ws.db,
    {
      imageId: img.id,
      faceFound: result.faceFound,
      // How the face was found travels with its box (no column of its own): 'direct', 'padded', 'whole-crop' or 'none'.
      box: { ...result.box, detection: result.detection },
      landmarks: result.landmarks,
      descriptor: result.descriptor,
      expressionFeatures: result.expressionFeatures,
      cropGrayPath: crops.gray,
      cropColorPath: crops.color,
      // `ref` says what the geometry was compared with: the subject's neutral image or the population reference.
      auEstimates: Object.fromEntries(
        Object.entries(result.auEstimates).map(([au, e]) => [au, { ...e, ref: subjectBaseline ? 'subject' : 'population' }]),
      ),
      expressions: roundScores(result.expressions),
      phash: result.phash,
      backend: result.backend,
      error: null,
    },
    predictions,
  );
  if (saved) {
    summary.analyzed++;
    if (result.faceFound) summary.facesFound++;
  }
  return saved;
}

/** Crops are written before the row that names them, so a row never points at a missing file. */
function writeCrops(ws: Workspace, sha: string, r: FaceAnalysis): { gray: string; color: string } {
  const dir = path.join(ws.mediaDir, CROPS_DIR);
  fs.mkdirSync(dir, { recursive: true });
  const gray = `${CROPS_DIR}/${sha}-${r.crops.size}g.png`;
  const color = `${CROPS_DIR}/${sha}-${r.crops.size}c.png`;
  writeAtomic(path.join(ws.mediaDir, gray), r.crops.grayPng);
  writeAtomic(path.join(ws.mediaDir, color), r.crops.colorPng);
  return { gray, color };
}

function writeAtomic(file: string, data: Uint8Array): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

function roundScores(s: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, Math.round(v * 10000) / 10000]));
}
