/** `fea models <ws>`: trained policies with their run (and its result: which step the model holds), parent model and latest evals. */
import type { Command } from 'commander';
import { getModel } from '../../db/repositories/models';
import { evalLine } from '../eval-line';
import { call, withWorkspace } from '../workspace';
import { printJson } from '../output';

export function register(program: Command): void {
  program
    .command('models')
    .description('list trained models with their run, parent model and evaluations')
    .argument('<workspace>', 'workspace folder')
    .option('--json', 'print {models: [...]} as JSON')
    .action((workspace: string, opts: { json?: boolean }) =>
      withWorkspace(workspace, async (ctx) => {
        const { trainingHandlers } = await import('../../services/training/handlers');
        const handlers = trainingHandlers(ctx);
        // runs.list first: it marks runs whose process was killed, so no run shows as running forever
        const runs = new Map((await call(handlers, 'runs.list', {})).runs.map((r) => [r.id, r]));
        const models = (await call(handlers, 'models.list', {})).models.map((m) => {
          // the files' folder and the parent's name are not in the contract's model summary
          const row = getModel(ctx.ws.db, m.id);
          const parent = m.parentModelId !== null ? getModel(ctx.ws.db, m.parentModelId) : undefined;
          return {
            ...m,
            path: row?.path ?? null,
            run: (m.runId !== null && runs.get(m.runId)) || null,
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
                (ev ? `\t${ev.split}/${ev.part}: ${evalLine(ev)}` : '') +
                (res?.stage === 'rl' ? `\tfrom step ${res.selectedStep}/${res.totalSteps}` : res?.stage === 'sft' ? `\tfrom step ${res.steps}/${res.totalSteps}` : '') +
                '\n',
            );
          }
      }),
    );
}
