/** `fea users <ws> add NAME --role ROLE` and `fea users <ws> list`: local users and their roles. */
import type { Command } from 'commander';
import { appendAudit } from '../../db/repositories/audit';
import { getUserByName, listUsers, upsertUser } from '../../db/repositories/users';
import { USER_ROLES, type UserRole } from '../../pipelines/facs/vocabulary';
import { ProfileNameSchema } from '../../contract/text';
import { CliError, escapeForTerminal, printJson } from '../output';
import { withWorkspace } from '../workspace';

function add(workspace: string, name: string | undefined, opts: UsersOpts) {
  if (!name) throw new CliError('usage: fea users <workspace> add NAME --role ROLE');
  if (!opts.role || !(USER_ROLES as readonly string[]).includes(opts.role)) throw new CliError(`--role: "${opts.role ?? ''}" is not one of ${USER_ROLES.join(', ')}`);
  const parsed = ProfileNameSchema.safeParse(name);
  if (!parsed.success) throw new CliError(`user name "${name}": ${parsed.error.issues[0].message}`);
  return withWorkspace(workspace, (ctx) => {
    const db = ctx.ws.db;
    const existing = getUserByName(db, parsed.data);
    if (existing && existing.role !== opts.role && !opts.setRole) {
      throw new CliError(`user "${existing.name}" exists already as ${existing.role} (pass --set-role to make them ${opts.role})`, 1);
    }
    const { user, created, changed } = db.transaction(() => {
      const r = upsertUser(db, parsed.data, opts.role as UserRole);
      if (r.changed) appendAudit(db, { actor: 'cli', action: 'user', entity: 'user', entityId: r.user.id, detail: { name: r.user.name, role: r.user.role, created: r.created } });
      return r;
    })();
    if (opts.json) printJson({ id: user.id, name: user.name, role: user.role, created, changed });
    else process.stdout.write(`${created ? 'added' : changed ? 'changed' : 'unchanged'}: ${escapeForTerminal(user.name)} (${user.role})\n`);
  });
}

function list(workspace: string, opts: UsersOpts) {
  return withWorkspace(workspace, (ctx) => {
    const all = listUsers(ctx.ws.db);
    if (opts.json) return printJson({ users: all.map((u) => ({ id: u.id, name: u.name, role: u.role })) });
    process.stdout.write(`name                 role\n${all.map((u) => `${escapeForTerminal(u.name).padEnd(20)} ${u.role}`).join('\n')}\n`);
  });
}

interface UsersOpts {
  role?: string;
  setRole?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('users')
    .description(`local users and their roles (${USER_ROLES.join(', ')}): "add NAME --role ROLE" or "list"`)
    .argument('<workspace>', 'workspace folder')
    .argument('<action>', 'add or list')
    .argument('[name]', 'the user name (add)')
    .option('--role <role>', USER_ROLES.join(', '))
    .option('--set-role', 'add: change the role of an existing user instead of refusing')
    .option('--json', 'print the user (add) or {users: [...]} (list) as JSON')
    .action(async (workspace: string, action: string, name: string | undefined, opts: UsersOpts) => {
      if (action === 'add') return add(workspace, name, opts);
      if (action === 'list') return list(workspace, opts);
      throw new CliError(`fea users: unknown action "${action}" (add or list)`);
    });
}
