import type { Command } from 'commander';
import { register as init } from './init';
import { register as importCmd } from './import';
import { register as exportCmd } from './export';
import { register as split } from './split';
import { register as stats } from './stats';
import { register as records } from './records';
import { register as label } from './label';
import { register as serve } from './serve';
import { register as analyze } from './analyze';
import { register as train } from './train';
import { register as evalCmd } from './eval';
import { register as models } from './models';
import { register as check } from './check';
import { register as synth } from './synth';
import { register as rounds } from './rounds';
import { register as review } from './review';
import { register as snapshots } from './snapshots';
import { register as users } from './users';
import { register as iterate } from './iterate';
import { register as suggest } from './suggest';

/** Every command module exports a register(program) function; list them here. */
export const COMMANDS: ((program: Command) => void)[] = [
  init, importCmd, exportCmd, split, stats, records, label, serve, analyze, train, evalCmd, models, suggest, check, synth, rounds, review, snapshots, users, iterate,
];
