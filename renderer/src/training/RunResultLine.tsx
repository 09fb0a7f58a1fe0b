/**
 * A finished run's result in one line above its curves: which step's weights the model holds and, for RL, what the
 * run changed (held-out score of the start → the selected step, train reward and rollout reward before → after).
 */
import type { ReactNode } from 'react';
import type { RlRunResult, RunResult, SftRunResult } from '../../../contract/types';
import { direction, fixed } from './runResult';

const ARROW = { up: '↑', down: '↓', same: '=' } as const;
const CLASS = { up: 'tr-up', down: 'tr-down', same: 'dt-muted' } as const;

/** "a → b ↑", coloured by direction (higher is better for every value shown here); just "b" without a start. */
function Change({ from, to, digits = 3, testId }: { from: number | null; to: number | null; digits?: number; testId?: string }) {
  if (to === null) return <span data-testid={testId}>–</span>;
  if (from === null)
    return (
      <span className="tr-change" data-testid={testId}>
        {fixed(to, digits)}
      </span>
    );
  const dir = direction(from, to, digits);
  return (
    <span className="tr-change" data-dir={dir} data-testid={testId}>
      {fixed(from, digits)} → <span className={CLASS[dir]}>{fixed(to, digits)}</span> <span className={`tr-change__arrow ${CLASS[dir]}`}>{ARROW[dir]}</span>
    </span>
  );
}

function Item({ children, testId, title }: { children: ReactNode; testId: string; title?: string }) {
  return (
    <span className="tr-result__item" data-testid={testId} title={title}>
      {children}
    </span>
  );
}

function RlLine({ r }: { r: RlRunResult }) {
  const { valStart, valSelected, trainReward, rolloutReward } = r;
  return (
    <>
      <Item testId="run-result-model" title="The model holds this step's weights: the RL step that scored best on the held-out subjects of the training part (never the test part) without losing accuracy there">
        <b>model = step {r.selectedStep}</b> of {r.totalSteps}{' '}
        {valSelected ? (
          <span className="tr-result__note">
            (best on held-out subjects: reward <Change from={valStart?.reward ?? null} to={valSelected.reward} testId="run-result-val-reward" />, accuracy{' '}
            <Change from={valStart?.accuracy ?? null} to={valSelected.accuracy} testId="run-result-val-accuracy" />)
          </span>
        ) : (
          <span className="tr-result__note">(last step: no held-out slice to select on)</span>
        )}
      </Item>
      <Item testId="run-result-train" title="Mean reward on the RL training images, starting policy → model: completions sampled at the run's temperature, and greedy">
        train reward sampled <Change from={trainReward.sampled.start} to={trainReward.sampled.end} testId="run-result-sampled" />, greedy{' '}
        <Change from={trainReward.greedy.start} to={trainReward.greedy.end} testId="run-result-greedy" />
      </Item>
      <Item testId="run-result-rollouts" title="Mean rollout reward over the first and the last third of the steps">
        rollouts first/last third <Change from={rolloutReward.firstThird} to={rolloutReward.lastThird} testId="run-result-rollout" />
      </Item>
    </>
  );
}

function SftLine({ r }: { r: SftRunResult }) {
  return (
    <>
      <Item testId="run-result-model" title="SFT's model holds the weights of its last step">
        <b>model = step {r.steps}</b> of {r.totalSteps}{' '}
        <span className="tr-result__note">{r.earlyStopped ? '(last step: stopped early, the validation loss no longer fell)' : '(last step)'}</span>
      </Item>
      {r.bestValLoss !== undefined && r.bestValLoss !== null ? (
        <Item testId="run-result-val-loss">best validation loss {fixed(r.bestValLoss)}</Item>
      ) : null}
    </>
  );
}

export function RunResultLine({ result }: { result: RunResult }) {
  return (
    <div className="tr-result" data-testid="run-result" data-stage={result.stage} data-step={result.stage === 'rl' ? result.selectedStep : result.steps}>
      <div className="tr-result__items">{result.stage === 'rl' ? <RlLine r={result} /> : <SftLine r={result} />}</div>
    </div>
  );
}
