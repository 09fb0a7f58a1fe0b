/**
 * `fea models <ws>`: every model of the workspace with its kind: trained policies with their run (and its result:
 * which step the model holds), parent model and latest evals, and the face analysis' models.
 */
import type { Command } from 'commander';
import { getModel, listModels } from '../../db/repositories/models';
import { evalLine } from '../eval-line';
import { call, withWorkspace } from '../workspace';
import { printJson } from '../output';

const HEADERS = ['id', 'name', 'kind', 'stage', 'run', 'parent', 'backend', 'latest eval', 'from step'] as const;

export function register(program: Command): void {
  program
    .command('models')
    .description('list every model (trained policies with their run, parent model and evaluations; the face analysis models) with its kind')
    .argument('<workspace>', 'workspace folder')
    .option('--json', 'print {models: [...]} as JSON')
    .action((workspace: string, opts: { json?: boolean }) =>
      withWorkspace(workspace, async (ctx) => {
        const { trainingHandlers } = await import('../../services/training/handlers');
        const handlers = trainingHandlers(ctx);
        // runs.list first: it marks runs whose process was killed, so no run shows as running forever
        const runs = new Map((await call(handlers, 'runs.list', {})).runs.map((r) => [r.id, r]));
        const policies = new Map((await call(handlers, 'models.list', {})).models.map((m) => [m.id, m]));
        const models = listModels(ctx.ws.db).map((row) => {
          const m = policies.get(row.id);
          if (!m) {
            // a face analysis model (expression net, geometric AU estimator): no run, no parent, no evals
            return {
              id: row.id, name: row.name, kind: row.kind, version: row.version, stage: null, runId: null, parentModelId: null,
              backend: row.backend ?? '', createdAt: row.created_at, evals: [], path: row.path, run: null, parent: null,
            };
          }
          // the files' folder and the parent's name are not in the contract's model summary
          const parent = m.parentModelId !== null ? getModel(ctx.ws.db, m.parentModelId) : undefined;
          return {
            ...m,
            kind: row.kind,
            version: row.version,
            path: row.path,
            run: (m.runId !== null && runs.get(m.runId)) || null,
            parent: parent ? { id: parent.id, name: parent.name, stage: parent.stage } : null,
          };
        });
        if (opts.json) {
          printJson({ models });
          return;
        }
        if (models.length === 0) {
          process.stdout.write('no models\n');
          return;
        }
        const rows = models.map((m) => {
          const ev = m.evals[m.evals.length - 1];
          const res = m.run?.result;
          return [
            String(m.id), m.name, m.kind, m.stage ?? '-', m.runId === null ? '-' : String(m.runId), m.parentModelId === null ? '-' : String(m.parentModelId),
            m.backend || '-',
            ev ? `${ev.split}/${ev.part}: ${evalLine(ev)}` : '-',
            res?.stage === 'rl' ? `${res.selectedStep}/${res.totalSteps}` : res?.stage === 'sft' ? `${res.steps}/${res.totalSteps}` : '-',
          ];
        });
        process.stdout.write([[...HEADERS], ...rows].map((r) => r.join('\t')).join('\n') + '\n');
      }),
    );
}
