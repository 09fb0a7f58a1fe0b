/** `fea eval <ws> --model ID --split NAME --part test`: greedy decoding + the Facial-R1 metrics; stored in evals. */
import type { Command } from 'commander';
import { evalLine } from '../eval-line';
import { call, withWorkspace } from '../workspace';
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
    .action((workspace: string, opts: { model: string; split: string; part: string; json?: boolean }) => {
      const modelId = Number(opts.model);
      if (!Number.isInteger(modelId) || modelId < 1) throw new CliError(`--model: "${opts.model}" is not a model id`);
      return withWorkspace(workspace, async (ctx) => {
        // The training area (and TensorFlow.js) loads only for the commands that use it.
        const { trainingHandlers } = await import('../../services/training/handlers');
        const report = await call(trainingHandlers(ctx), 'models.eval', { modelId, split: opts.split, part: opts.part });
        if (opts.json) printJson(report);
        else process.stdout.write(`model ${modelId} on ${opts.split}/${opts.part} (n=${report.n}): ${evalLine(report, 'full')}\n`);
      });
    });
}
