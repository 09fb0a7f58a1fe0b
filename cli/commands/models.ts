/** `fea models <ws>`: trained policies with their run (and its result: which step the model holds), parent model and latest evals. */
import type { Command } from 'commander';
import { getRun, reapOrphanedRuns } from '../../db/repositories/runs';
import { getModel, listModels } from '../../db/repositories/models';
import { createContext } from '../../services/context';
import { openWorkspaceForCli } from '../workspace';
import { printJson } from '../output';

export function register(program: Command): void {
  program
    .command('models')
    .description('list trained models with their run, parent model and evaluations')
    .argument('<workspace>', 'workspace folder')
    .option('--json', 'print {models: [...]} as JSON')
    .action(async (workspace: string, opts: { json?: boolean }) => {
      const { modelSummary, runSummary } = await import('../../services/training/handlers');
      const ws = openWorkspaceForCli(workspace, { readonly: false });
      try {
        const ctx = createContext(ws);
        reapOrphanedRuns(ws.db);
        const models = listModels(ws.db, 'policy').map((m) => {
          const run = m.run_id !== null ? getRun(ws.db, m.run_id) : undefined;
          const parent = m.parent_model_id !== null ? getModel(ws.db, m.parent_model_id) : undefined;
          return {
            ...modelSummary(ctx, m),
            path: m.path,
            run: run ? runSummary(run) : null,
            parent: parent ? { id: parent.id, name: parent.name, stage: parent.stage } : null,
          };
        });
        if (opts.json) printJson({ models });
        else if (models.length === 0) process.stdout.write('no trained models\n');
        else
          for (const m of models) {
            const ev = m.evals[m.evals.length - 1];
            const res = m.run?.result;
            process.stdout.write(
              `${m.id}\t${m.name}\t${m.stage}\trun ${m.runId ?? '-'}\tparent ${m.parentModelId ?? '-'}\t${m.backend}` +
                (ev ? `\t${ev.split}/${ev.part}: acc ${ev.accuracy.toFixed(3)} AU-F1 ${ev.auF1Micro.toFixed(3)} format ${ev.formatRate.toFixed(3)}` : '') +
                (res?.stage === 'rl' ? `\tfrom step ${res.selectedStep}/${res.totalSteps}` : res?.stage === 'sft' ? `\tfrom step ${res.steps}/${res.totalSteps}` : '') +
                '\n',
            );
          }
      } finally {
        ws.close();
      }
    });
}
