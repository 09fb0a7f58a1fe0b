/** `fea check <ws> [--quick] [--json]`: database integrity, foreign keys and media; exits 1 when damaged. */
import type { Command } from 'commander';
import { checkWorkspaceAt } from '../../services/workspace/check';
import { printJson, progressBar, type Progress } from '../output';

export function register(program: Command): void {
  program
    .command('check')
    .description('check the database (integrity, foreign keys) and the media (present, sha256 as named, orphans, crops); exit 1 when damaged')
    .argument('<workspace>', 'workspace folder')
    .option('--quick', 'quick_check instead of integrity_check, and media presence without hashing')
    .option('--json', 'print the report as one JSON object on the last line')
    .action((workspace: string, opts: { quick?: boolean; json?: boolean }) => {
      let bar: Progress | null = null;
      const report = checkWorkspaceAt(workspace, {
        quick: opts.quick,
        onProgress: (done, total) => {
          bar ??= progressBar('check', total);
          bar.update(done, total);
        },
      });
      (bar as Progress | null)?.stop();
      // damaged fails the command (exit 1): its JSON says so as every failure's does
      if (opts.json) printJson(report.ok ? report : { ...report, error: { code: 'workspace_damaged', message: `the workspace is damaged. ${report.advice}` } });
      else {
        const m = report.media;
        const out = (s: string) => process.stdout.write(`${s}\n`);
        out(`database: ${report.integrity.length === 0 ? 'ok' : `${report.integrity.length} problem(s)`}${report.quick ? ' (quick check)' : ''}`);
        for (const p of report.integrity.slice(0, 20)) out(`  ${JSON.stringify(p)}`);
        out(`foreign keys: ${report.foreignKeys.length === 0 ? 'ok' : `${report.foreignKeys.length} row(s) pointing nowhere`}`);
        for (const f of report.foreignKeys.slice(0, 20)) out(`  ${f.table} row ${f.rowid ?? '?'} → ${f.parent}`);
        out(`media: ${m.checked} checked${m.hashed ? ' and hashed' : ''}; ${m.missing} missing, ${m.hashMismatch} hash mismatch, ${m.missingCrops} missing crops, ${m.orphans} orphan files, ${m.linked} hard-linked (${m.linkedWritable} writable)`);
        for (const p of m.problems.filter((x) => x.kind !== 'orphan').slice(0, 20)) out(`  ${p.kind}: ${JSON.stringify(p.path)}${p.detail ? ` (${p.detail})` : ''}`);
        out(report.ok ? 'ok' : `DAMAGED. ${report.advice}`);
      }
      if (!report.ok) process.exitCode = 1;
    });
}
