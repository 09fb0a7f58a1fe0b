/**
 * Bounds of inputs that would otherwise reach SQLite and fail there (a 500 carrying SQL text): integers past
 * INTEGER's range, LIKE patterns past SQLite's limit, and settings that grow without end.
 */
import { z } from 'zod';

/** A week: time on one record beyond it is a tab left open, and it stays far inside INTEGER. */
export const LEAD_TIME_MAX_MS = 7 * 24 * 3600 * 1000;
export const LeadTimeSchema = z.number().int().min(0).max(LEAD_TIME_MAX_MS);

export const PredictionIdSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** Searches record ids, image subjects and source file names; SQLite refuses LIKE patterns over 50,000 bytes. */
export const SEARCH_MAX = 1024;
export const SearchSchema = z.string().max(SEARCH_MAX);


/** A keymap names an action (a command, `emotion.<name>`, `au.AU<n>`) and a key combination. */
export const KEYMAP_MAX_ACTIONS = 200;
export const KEYMAP_ACTION_MAX = 64;
export const KEYMAP_KEY_MAX = 32;
export const KEYMAP_ACTION = /^(?:[a-zA-Z]+|emotion\.\S+|au\.AU\d{1,3})$/;
/** The label view's fixed commands, the names their keys are saved under (the renderer's LABEL_COMMANDS are built from these). */
export const KEYMAP_COMMANDS = [
  'submit', 'skip', 'undo', 'next', 'prev', 'help', 'accept', 'acceptMerge', 'compose', 'focusReasoning', 'clear', 'overlay', 'zoomIn', 'zoomOut',
  'zoomReset', 'zoomActual',
] as const;
export type KeymapCommand = (typeof KEYMAP_COMMANDS)[number];
export const KeymapSchema = z
  .record(z.string().max(KEYMAP_ACTION_MAX).regex(KEYMAP_ACTION, 'is not a keymap action'), z.string().max(KEYMAP_KEY_MAX))
  .refine((k) => Object.keys(k).length <= KEYMAP_MAX_ACTIONS, { message: `a keymap has at most ${KEYMAP_MAX_ACTIONS} actions` });
