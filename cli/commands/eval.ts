/** `fea eval <ws> --model ID --split NAME --part test`: greedy decoding + the Facial-R1 metrics; stored in evals. */
import type { Command } from 'commander';
import { ApiError } from '../../contract/dispatch';
import { createContext } from '../../services/context';
import { openWorkspaceForCli } from '../workspace';
import { CliError, printJson } from '../output';

export function register(program: Command): void {
  program
    .command('eval')
    .description('evaluate a trained policy on a split part (accuracy, macro-F1, AU F1, format rate, ROUGE-L, hallucinated/misaligned rates)')
    .argument('<workspace>', 'workspace folder')
    .requiredOption('--model <id>', 'model id (see "fea models")')
    .requiredOption('--split <name>', 'split name')
    .option('--part <part>', 'split part', 'test')
    .option('--json', 'print the report as JSON')
    .action(async (workspace: string, opts: { model: string; split: string; part: string; json?: boolean }) => {
      const modelId = Number(opts.model);
      if (!Number.isInteger(modelId) || modelId < 1) throw new CliError(`--model: "${opts.model}" is not a model id`);
      const ws = openWorkspaceForCli(workspace);
      try {
        const { trainingService } = await import('../../services/training/service');
        const report = await trainingService(createContext(ws)).evaluate(modelId, opts.split, opts.part);
        if (opts.json) printJson(report);
        else {
          const f = (x: number) => x.toFixed(3);
          process.stdout.write(
            `model ${modelId} on ${opts.split}/${opts.part} (n=${report.n}): accuracy ${f(report.accuracy)}, macro-F1 ${f(report.macroF1)}, ` +
              `AU F1 macro ${f(report.auF1Macro)} micro ${f(report.auF1Micro)}, format ${f(report.formatRate)}, ROUGE-L ${f(report.rougeL)}, ` +
              `hallucinated AUs ${f(report.hallucinatedAURate)}, misaligned ${f(report.misalignedRate)}\n`,
          );
        }
      } catch (err) {
        if (err instanceof ApiError) throw new CliError(err.message);
        throw err;
      } finally {
        ws.close();
      }
    });
}
