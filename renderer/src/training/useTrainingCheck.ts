/**
 * What the training service says of a run before it is started (training.check): whether the split's training part
 * can train the stage and why not, and the seed the run would use. Asked again when the form's choice changes, and
 * when labels change or a run ends (a split becomes trainable as records are labeled).
 */
import { useEffect, useState } from 'react';
import type { ApiClient, Input } from '../../../contract/api';
import type { TrainingCheck } from '../../../contract/types';
import { useApiEvents } from '../api/ApiContext';

/** The check of the latest input; null while there is none yet (no split, or the first answer is on its way). */
export interface TrainingCheckState {
  check: TrainingCheck | null;
  /** The check itself failed (the service is not there, the split went away). */
  error: string | null;
}

export const RECHECK_DEBOUNCE_MS = 250;

export function useTrainingCheck(api: ApiClient, input: Input<'training.check'> | null): TrainingCheckState {
  // the input each answer is for, so that an answer for another input is never shown as this one's
  const [state, setState] = useState<TrainingCheckState & { key: string | null }>({ key: null, check: null, error: null });
  const [changes, setChanges] = useState(0);
  const key = input ? JSON.stringify(input) : null;

  useApiEvents((event) => {
    if (event.type === 'records.changed') setChanges((n) => n + 1);
    else if (event.type === 'job.progress' && event.job.status !== 'running' && event.job.status !== 'queued') setChanges((n) => n + 1);
  });

  useEffect(() => {
    if (key === null) return;
    let cancelled = false;
    const t = setTimeout(() => {
      api['training.check'](JSON.parse(key) as Input<'training.check'>)
        .then((check) => {
          if (!cancelled) setState({ key, check, error: null });
        })
        .catch((e: unknown) => {
          if (!cancelled) setState({ key, check: null, error: e instanceof Error ? e.message : String(e) });
        });
    }, RECHECK_DEBOUNCE_MS);
    return () => {
      cancelled = true;
      clearTimeout(t);
    };
  }, [api, key, changes]);

  return state.key === key && key !== null ? { check: state.check, error: state.error } : { check: null, error: null };
}
