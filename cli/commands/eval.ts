/** `fea eval <ws> --model ID|latest --split NAME --part test`: greedy decoding + the Facial-R1 metrics; stored in evals. */
import type { Command } from 'commander';
import { evalLine } from '../eval-line';
import { call, withWorkspace } from '../workspace';
import { printJson } from '../output';
import { checkModelRef, resolveModelRef } from '../model-ref';

export function register(program: Command): void {
  program
    .command('eval')
    .description('evaluate a trained policy on a split part (accuracy, macro-F1, AU F1, format rate, ROUGE-L, hallucinated/misaligned rates)')
    .argument('<workspace>', 'workspace folder')
    .requiredOption('--model <id>', 'model id (see "fea models"), or "latest": the newest trained model')
    .requiredOption('--split <name>', 'split name')
    .option('--part <part>', 'split part', 'test')
    .option('--json', 'print the report as JSON')
    .action((workspace: string, opts: { model: string; split: string; part: string; json?: boolean }) => {
      checkModelRef('--model', opts.model);
      return withWorkspace(workspace, async (ctx) => {
        const modelId = resolveModelRef(ctx.ws.db, '--model', opts.model);
        // The training area (and TensorFlow.js) loads only for the commands that use it.
        const { trainingHandlers } = await import('../../services/training/handlers');
        const report = await call(trainingHandlers(ctx), 'models.eval', { modelId, split: opts.split, part: opts.part });
        if (opts.json) printJson(report);
        else process.stdout.write(`model ${modelId} on ${opts.split}/${opts.part} (n=${report.n}): ${evalLine(report, 'full')}\n`);
      });
    });
}
