import { z } from 'zod';
import { TRAINING_LIMITS } from './training-choices';

/**
 * training.start's settings: dotted names (never __proto__, constructor, prototype) → a value; the service checks
 * the names against its known list. zod drops a JSON `__proto__` key silently, so it is refused before parsing.
 */
export type TrainingSettings = Record<string, number | string | boolean>;
const TrainingSettingsRecord = z
  .record(
    z
      .string()
      .max(TRAINING_LIMITS.maxSettingKeyLength)
      .regex(/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/, 'a setting name is dotted words, e.g. model.hidden')
      .refine((k) => !k.split('.').some((p) => p === 'constructor' || p === 'prototype'), 'not a training setting'),
    z.union([z.number(), z.string().max(TRAINING_LIMITS.maxSettingValueLength), z.boolean()]),
  )
  .refine((c) => Object.keys(c).length <= TRAINING_LIMITS.maxSettings, `at most ${TRAINING_LIMITS.maxSettings} settings`);
export const TrainingSettingsSchema = z.preprocess<unknown, typeof TrainingSettingsRecord, TrainingSettings>((value, ctx) => {
  if (typeof value === 'object' && value !== null && Object.hasOwn(value, '__proto__')) ctx.addIssue({ code: 'custom', message: '"__proto__" is not a training setting' });
  return value;
}, TrainingSettingsRecord);
