/** Placeholder: the training view (runs, live curves, evals, model comparison, samples). */
export function TrainingView() {
  return <div data-testid="training-view">Training</div>;
}
