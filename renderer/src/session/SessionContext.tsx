/** Who is labeling, in which workspace, with which keys: loaded once, shared by every view. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { User, WorkspaceInfo } from '../../../contract/types';
import { useApi } from '../api/ApiContext';
import { defaultKeymap, keymapOverrides, mergeKeymap, type Keymap } from '../keymap/keymap';

const USER_KEY = 'fea.userId';

interface Session {
  info: WorkspaceInfo;
  user: User | null;
  /** Profiles people pick from: the importer's `system` account is not one. */
  users: User[];
  keymap: Keymap;
  defaults: Keymap;
  selectUser(user: User): void;
  createUser(name: string, role: User['role']): Promise<{ user: User; created: boolean }>;
  signOut(): void;
  saveKeymap(map: Keymap): Promise<void>;
  refreshInfo(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession must be used inside <SessionProvider>');
  return s;
}

/** The signed-in user; views behind the profile gate can rely on it. */
export function useUser(): User {
  const { user } = useSession();
  if (!user) throw new Error('no user selected');
  return user;
}

const isPerson = (u: User) => u.name !== 'system';

function storedUserId(): number | null {
  const raw = localStorage.getItem(USER_KEY);
  const id = raw === null ? NaN : Number(raw);
  return Number.isInteger(id) && id > 0 ? id : null;
}

export function SessionProvider({ children, fallback }: { children: ReactNode; fallback: (error: string | null) => ReactNode }) {
  const api = useApi();
  const [info, setInfo] = useState<WorkspaceInfo | null>(null);
  const [users, setUsers] = useState<User[]>([]);
  const [user, setUser] = useState<User | null>(null);
  /** The signed-in user's saved keys; views wait for them so the first key pressed already uses them. */
  const [saved, setSaved] = useState<{ userId: number; keymap: Keymap } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    Promise.all([api['workspace.info']({}), api['users.list']({})])
      .then(([ws, list]) => {
        if (cancelled) return;
        setInfo(ws);
        setUsers(list.users.filter(isPerson));
        const id = storedUserId();
        setUser(list.users.find((u) => u.id === id) ?? null);
      })
      .catch((err: unknown) => !cancelled && setError(err instanceof Error ? err.message : String(err)));
    return () => {
      cancelled = true;
    };
  }, [api]);

  useEffect(() => {
    if (!user) return;
    let cancelled = false;
    setSaved(null);
    api['users.getSettings']({ userId: user.id })
      .then((s) => !cancelled && setSaved({ userId: user.id, keymap: s.keymap }))
      .catch(() => !cancelled && setSaved({ userId: user.id, keymap: {} }));
    return () => {
      cancelled = true;
    };
  }, [api, user]);

  const defaults = useMemo(() => (info ? defaultKeymap(info.emotions, info.aus) : {}), [info]);
  const keymapLoaded = !user || saved?.userId === user.id;
  const keymap = useMemo(() => mergeKeymap(defaults, saved?.keymap ?? null), [defaults, saved]);

  const selectUser = useCallback((u: User) => {
    localStorage.setItem(USER_KEY, String(u.id));
    setUser(u);
  }, []);

  /** Creates and selects a new profile; a name taken already selects nothing and answers that profile (created: false). */
  const createUser = useCallback(
    async (name: string, role: User['role']) => {
      const { user: u, created } = await api['users.create']({ name, role });
      setUsers((list) => [...list.filter((x) => x.id !== u.id), u]);
      if (created) selectUser(u);
      return { user: u, created };
    },
    [api, selectUser],
  );

  const signOut = useCallback(() => {
    localStorage.removeItem(USER_KEY);
    setUser(null);
    api['users.list']({}).then((l) => setUsers(l.users.filter(isPerson)), () => undefined);
  }, [api]);

  const saveKeymap = useCallback(
    async (map: Keymap) => {
      if (!user) return;
      const res = await api['users.saveSettings']({ userId: user.id, keymap: keymapOverrides(defaults, map) });
      setSaved({ userId: user.id, keymap: res.keymap });
    },
    [api, user, defaults],
  );

  const refreshInfo = useCallback(async () => setInfo(await api['workspace.info']({})), [api]);

  const value = useMemo<Session | null>(
    () => (info && keymapLoaded ? { info, user, users, keymap, defaults, selectUser, createUser, signOut, saveKeymap, refreshInfo } : null),
    [info, keymapLoaded, user, users, keymap, defaults, selectUser, createUser, signOut, saveKeymap, refreshInfo],
  );

  if (!value) return <>{fallback(error)}</>;
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
