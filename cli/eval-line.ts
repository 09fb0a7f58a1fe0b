/** The one text form of an evaluation's scores, printed by `fea eval`, `fea train` and `fea models`. */
import type { EvalReport } from '../contract/types';

type Headline = Pick<EvalReport, 'accuracy' | 'auF1Micro' | 'formatRate'>;

const f = (x: number) => x.toFixed(3);

/** Accuracy, AU micro-F1 and format rate; `full`: every scalar of the report. */
export function evalLine(r: Headline): string;
export function evalLine(r: EvalReport, detail: 'full'): string;
export function evalLine(r: Headline | EvalReport, detail?: 'full'): string {
  if (detail !== 'full') return `accuracy ${f(r.accuracy)}, AU micro-F1 ${f(r.auF1Micro)}, format ${f(r.formatRate)}`;
  const e = r as EvalReport;
  return (
    `accuracy ${f(e.accuracy)}, macro-F1 ${f(e.macroF1)}, AU F1 macro ${f(e.auF1Macro)} micro ${f(e.auF1Micro)}, format ${f(e.formatRate)}, ` +
    `ROUGE-L ${f(e.rougeL)}, hallucinated AUs ${f(e.hallucinatedAURate)}, misaligned ${f(e.misalignedRate)}`
  );
}
