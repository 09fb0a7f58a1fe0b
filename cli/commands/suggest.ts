/**
 * `fea suggest <ws> --model ID|latest --split NAME [--part P] [--use]`: a trained policy writes its suggestions for a
 * split part's records (labeled or not); `--use` makes it the workspace's suggestion source. Held-out parts are refused
 * unless the split allows suggestions there (Settings); evaluation outputs are never suggestions.
 */
import type { Command } from 'commander';
import { getSuggestionModel } from '../../db/repositories/predictions';
import { saveSuggestionSettings, suggestionSettings } from '../../services/suggestions/handlers';
import { checkModelRef, resolveModelRef } from '../model-ref';
import { call, withWorkspace } from '../workspace';
import { escapeForTerminal, printJson } from '../output';

export function register(program: Command): void {
  program
    .command('suggest')
    .description("write a trained policy's labeling suggestions for a split part (never on held-out parts unless the split allows it)")
    .argument('<workspace>', 'workspace folder')
    .requiredOption('--model <id>', 'model id (see "fea models"), or "latest": the newest trained model')
    .requiredOption('--split <name>', 'split name')
    .option('--part <part>', 'split part', 'train')
    .option('--use', 'show this model\'s suggestions in the label view (instead of the face analysis)')
    .option('--json', 'print {modelId, split, part, written, source} as JSON')
    .action((workspace: string, opts: { model: string; split: string; part: string; use?: boolean; json?: boolean }) => {
      checkModelRef('--model', opts.model);
      return withWorkspace(workspace, async (ctx) => {
        const modelId = resolveModelRef(ctx.ws.db, '--model', opts.model);
        const { trainingHandlers } = await import('../../services/training/handlers');
        const { written } = await call(trainingHandlers(ctx), 'models.suggest', { modelId, split: opts.split, part: opts.part });
        if (opts.use) saveSuggestionSettings(ctx.ws.db, { modelId, allowHeldOut: suggestionSettings(ctx.ws.db).allowHeldOut }, 'cli');
        const source = getSuggestionModel(ctx.ws.db);
        if (opts.json) printJson({ modelId, split: opts.split, part: opts.part, written, source: source ?? 'analysis' });
        else
          process.stdout.write(
            `model ${modelId}: ${written} suggestion${written === 1 ? '' : 's'} on ${escapeForTerminal(`${opts.split}/${opts.part}`)}; ` +
              `the label view shows ${source === null ? 'the face analysis' : `model ${source}`}'s suggestions${source !== modelId ? ' (--use to show these)' : ''}\n`,
          );
      });
    });
}
