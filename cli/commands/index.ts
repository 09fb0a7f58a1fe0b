import type { Command } from 'commander';

type CommandModule = { register: (program: Command) => void };

/**
 * Every command module, by the command names it registers. A run that names a command loads only that module (and
 * what it imports): loading all twenty, with the native image library and every contract schema, was most of a
 * quick command's time (`fea stats` at 1M records). Help, the version and unknown names load them all.
 */
export const COMMAND_MODULES: { names: readonly string[]; load: () => Promise<CommandModule> }[] = [
  { names: ['init'], load: () => import('./init') },
  { names: ['import'], load: () => import('./import') },
  { names: ['export'], load: () => import('./export') },
  { names: ['split'], load: () => import('./split') },
  { names: ['stats'], load: () => import('./stats') },
  { names: ['records'], load: () => import('./records') },
  { names: ['label'], load: () => import('./label') },
  { names: ['serve'], load: () => import('./serve') },
  { names: ['analyze'], load: () => import('./analyze') },
  { names: ['train'], load: () => import('./train') },
  { names: ['eval'], load: () => import('./eval') },
  { names: ['models'], load: () => import('./models') },
  { names: ['suggest'], load: () => import('./suggest') },
  { names: ['check'], load: () => import('./check') },
  { names: ['synth'], load: () => import('./synth') },
  { names: ['rounds'], load: () => import('./rounds') },
  { names: ['review'], load: () => import('./review') },
  { names: ['snapshots', 'snapshot'], load: () => import('./snapshots') },
  { names: ['users'], load: () => import('./users') },
  { names: ['iterate'], load: () => import('./iterate') },
];

/** The modules to register for these arguments: the named command's alone, or every one. */
export async function commandsFor(argv: readonly string[]): Promise<CommandModule[]> {
  const named = COMMAND_MODULES.find((m) => m.names.includes(argv[0] ?? ''));
  return Promise.all((named ? [named] : COMMAND_MODULES).map((m) => m.load()));
}
