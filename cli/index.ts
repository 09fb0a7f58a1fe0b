/** The `fea` command. Each command lives in cli/commands/<name>.ts and registers itself here. */
import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands';
import { APP_VERSION } from '../db/app-version';
import { CliError } from './output';

export async function main(argv: string[]): Promise<number> {
  const program = new Command('fea')
    .description('FEA Studio: facial emotion analysis datasets, labeling and Facial-R1 training')
    .version(APP_VERSION)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const register of COMMANDS) register(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof CliError) {
      process.stderr.write(`fea: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`fea: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
