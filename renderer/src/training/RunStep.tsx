/** "· step 24 of 60" beside an RL model: which step's weights it holds (the best on the held-out subjects). */
import type { RunResult } from '../../../contract/types';

export function RunStep({ result, testId }: { result: RunResult | null | undefined; testId: string }) {
  if (result?.stage !== 'rl') return null;
  return (
    <span className="dt-muted" title="the model holds this RL step's weights: the best on the held-out subjects" data-testid={testId}>
      {' '}
      · step {result.selectedStep} of {result.totalSteps}
    </span>
  );
}
