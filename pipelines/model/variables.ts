/** How a block makes and reads its variables (Policy owns them), and the initial scales it draws them at. */
import type { tf } from '../runtime/backend';

export type AddVariable = (name: string, shape: number[], init: 'zeros' | 'ones' | number) => tf.Variable;
export type GetVariable = (name: string) => tf.Variable;

export const he = (fanIn: number) => Math.sqrt(2 / fanIn);
export const lecun = (fanIn: number) => 1 / Math.sqrt(fanIn);
