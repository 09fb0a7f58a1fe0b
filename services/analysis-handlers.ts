import type { ApiHandlers } from '../contract/api';
import { ApiError } from '../contract/dispatch';
import type { ServiceContext } from './context';

export function analysisHandlers(_ctx: ServiceContext): Pick<ApiHandlers, 'analysis.start'> {
  return {
    'analysis.start': () => {
      throw new ApiError('not_implemented', 'not implemented yet');
    },
  };
}
