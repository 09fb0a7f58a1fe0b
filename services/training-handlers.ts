import type { ApiHandlers } from '../contract/api';
import { ApiError } from '../contract/dispatch';
import type { ServiceContext } from './context';

export type TrainingMethods = 'training.start' | 'training.stop' | 'training.resume' | 'runs.list' | 'runs.get' | 'models.list' | 'models.eval' | 'models.samples';

const todo = (): never => {
  throw new ApiError('not_implemented', 'not implemented yet');
};

export function trainingHandlers(_ctx: ServiceContext): Pick<ApiHandlers, TrainingMethods> {
  return {
    'training.start': todo, 'training.stop': todo, 'training.resume': todo, 'runs.list': todo,
    'runs.get': todo, 'models.list': todo, 'models.eval': todo, 'models.samples': todo,
  };
}
