/** Model outputs for split images next to their labels, with AUs and the answer marked right or wrong. */
import { useEffect, useState } from 'react';
import type { ModelSummary, SampleOutput, SplitSummary } from '../../../contract/types';
import { auName } from '../../../pipelines/facs/vocabulary';
import { useApi, useMediaUrl } from '../api/ApiContext';
import { EmptyState } from '../charts/ChartCard';
import { SplitPartPicker, useSplitPart } from './EvalPanel';
import { outputSegments, sampleMarks } from './sampleMarks';

function SampleCard({ sample, index }: { sample: SampleOutput; index: number }) {
  const mediaUrl = useMediaUrl();
  const marks = sampleMarks(sample.output, sample.label);
  const segments = outputSegments(sample.output, sample.label.aus);
  return (
    <div className="tr-sample" data-testid={`sample-${index}`} data-record={sample.recordId}>
      <img className="tr-sample__img" src={mediaUrl(sample.imageKey)} alt={`record ${sample.recordId}`} loading="lazy" />
      <div className="tr-sample__body">
        <div className="tr-sample__head">
          <code className="tr-sample__id" title={sample.recordId}>
            {sample.recordId}
          </code>
          <span
            className={`dt-badge ${marks.emotionOk ? 'dt-badge--good' : marks.emotionOk === false ? 'dt-badge--bad' : ''}`}
            data-testid={`sample-${index}-emotion`}
            data-correct={marks.emotionOk === null ? 'unknown' : String(marks.emotionOk)}
            title="Predicted answer vs label emotion"
          >
            {marks.emotionOk ? '✓' : marks.emotionOk === false ? '✗' : '?'} {marks.answer ?? 'no answer'}
            {marks.emotionOk === false && sample.label.emotion ? ` ≠ ${sample.label.emotion}` : ''}
          </span>
          {!marks.formatOk ? <span className="dt-badge dt-badge--warn">format ✗</span> : null}
        </div>
        <div className="tr-sample__label">
          <span className="dt-muted">label</span> <b>{sample.label.emotion ?? '–'}</b>{' '}
          {sample.label.aus.map((au) => (
            <span key={au} className={`tr-au ${marks.missed.includes(au) ? 'tr-au--missed' : 'tr-au--hit'}`} title={`${auName(au)}${marks.missed.includes(au) ? ' — missed by the model' : ' — named by the model'}`}>
              {au}
            </span>
          ))}
        </div>
        <div className="tr-sample__out" title={sample.label.reasoning ? `Reference: ${sample.label.reasoning}` : undefined}>
          {segments.map((s, i) =>
            s.kind === 'au-hit' || s.kind === 'au-extra' ? (
              <mark key={i} className={`tr-au ${s.kind === 'au-hit' ? 'tr-au--hit' : 'tr-au--extra'}`} data-au-mark={s.kind} title={`${auName(s.au)}${s.kind === 'au-hit' ? ' — in the label' : ' — not in the label (hallucinated)'}`}>
                {s.text}
              </mark>
            ) : s.kind === 'au-repeat' || s.kind === 'au-unscored' ? (
              <span key={i} className={`tr-au-plain tr-au-plain--${s.kind === 'au-repeat' ? (s.inLabel ? 'hit' : 'extra') : 'unscored'}`} title={s.kind === 'au-repeat' ? `${auName(s.au)} — named again, counted once` : `${auName(s.au)} — outside <think>: not scored`}>
                {s.text}
              </span>
            ) : (
              <span key={i} className={`tr-seg-${s.kind}`}>
                {s.text}
              </span>
            ),
          )}
        </div>
        <div className="tr-sample__foot">
          AUs: <span className="tr-up" data-testid={`sample-${index}-right`}>{marks.hit.length} right</span> ·{' '}
          <span className="tr-down" data-testid={`sample-${index}-extra`}>{marks.extra.length} extra</span> ·{' '}
          <span className="dt-muted" data-testid={`sample-${index}-missed`}>{marks.missed.length} missed</span>
        </div>
      </div>
    </div>
  );
}

export function SampleOutputs({ model, splits }: { model: ModelSummary; splits: SplitSummary[] }) {
  const api = useApi();
  const { split, part, choose: chooseSplitPart } = useSplitPart(splits);
  const [limit, setLimit] = useState(12);
  const [samples, setSamples] = useState<SampleOutput[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!split || !part) return;
    let cancelled = false;
    setBusy(true);
    setError(null);
    api['models.samples']({ modelId: model.id, split, part, limit })
      .then((r) => {
        if (!cancelled) setSamples(r.samples);
      })
      .catch((e) => {
        if (!cancelled) {
          setSamples(null);
          setError(`Could not load samples: ${e instanceof Error ? e.message : String(e)}`);
        }
      })
      .finally(() => {
        if (!cancelled) setBusy(false);
      });
    return () => {
      cancelled = true;
    };
  }, [api, model.id, split, part, limit]);

  if (splits.length === 0) return <EmptyState title="No split yet">Samples are drawn from a split part; create a split first.</EmptyState>;
  const correct = samples?.filter((s) => sampleMarks(s.output, s.label).emotionOk).length ?? 0;
  return (
    <div className="tr-samples" data-testid="sample-outputs">
      <div className="tr-toolbar">
        <span className="dt-muted">Outputs of model #{model.id} on</span>
        <SplitPartPicker
          splits={splits}
          split={split}
          part={part}
          onChange={chooseSplitPart}
          testId="samples"
        />
        <select value={limit} onChange={(e) => setLimit(Number(e.target.value))} data-testid="samples-limit">
          {[6, 12, 24, 50].map((n) => (
            <option key={n} value={n}>
              {n} images
            </option>
          ))}
        </select>
        {busy ? <span className="dt-muted">generating…</span> : null}
        {samples && samples.length ? (
          <span className="dt-muted">
            {correct}/{samples.length} emotions right
          </span>
        ) : null}
        <span className="tr-legend-inline">
          <mark className="tr-au tr-au--hit">AU</mark> in label <mark className="tr-au tr-au--extra">AU</mark> hallucinated{' '}
          <span className="tr-au tr-au--missed">AU</span> missed
        </span>
      </div>
      {error ? <div className="tr-form__error">{error}</div> : null}
      {samples && samples.length === 0 ? (
        <EmptyState title="No labeled images in this part">Pick another part, or label records that belong to it.</EmptyState>
      ) : null}
      <div className="tr-samples__grid">
        {(samples ?? []).map((s, i) => (
          <SampleCard key={s.recordId} sample={s} index={i} />
        ))}
      </div>
    </div>
  );
}
