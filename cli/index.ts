/** The `fea` command. Each command lives in cli/commands/<name>.ts and registers itself here. */
import { Command } from 'commander';
import { commandsFor } from './commands';
import { APP_VERSION } from '../db/app-version';
import { setQueryMonitor } from '../db/repositories/named';
import { reportFailure } from './output';

export async function main(argv: string[]): Promise<number> {
  // A batch command's slow query keeps no one waiting (and stderr stays clean); `fea serve` turns the log back on.
  setQueryMonitor({ enabled: false });
  const program = new Command('fea')
    .description('FEA Studio: facial emotion analysis datasets, labeling and Facial-R1 training')
    .version(APP_VERSION)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const command of await commandsFor(argv)) command.register(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (err) {
    return reportFailure(err, argv.includes('--json'));
  }
}
