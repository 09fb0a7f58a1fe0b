import type { ApiHandlers } from '../../contract/api';
import type { ServiceContext } from '../context';
import { saveUserKeymap, userKeymap, usersCreate, usersList, usersUpsert, workspaceInfo } from './info';

export type WorkspaceMethods = 'workspace.info' | 'users.list' | 'users.upsert' | 'users.create' | 'users.getSettings' | 'users.saveSettings';

export function workspaceHandlers(ctx: ServiceContext): Pick<ApiHandlers, WorkspaceMethods> {
  const db = ctx.ws.db;
  return {
    'workspace.info': () => workspaceInfo(ctx.ws),
    'users.list': () => usersList(db),
    'users.upsert': ({ name, role }) => usersUpsert(db, name, role),
    'users.create': ({ name, role }) => usersCreate(db, name, role),
    'users.getSettings': ({ userId }) => userKeymap(db, userId),
    'users.saveSettings': ({ userId, keymap }) => saveUserKeymap(db, userId, keymap),
  };
}
