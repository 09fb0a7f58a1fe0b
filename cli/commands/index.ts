import type { Command } from 'commander';
import { register as serve } from './serve';
import { register as analyze } from './analyze';

/** Every command module exports a register(program) function; list them here. */
export const COMMANDS: ((program: Command) => void)[] = [serve, analyze];
