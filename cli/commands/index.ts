import type { Command } from 'commander';

/** Every command module exports a register(program) function; list them here. */
export const COMMANDS: ((program: Command) => void)[] = [];
