/** First load: pick a local profile or create one with a role; a name that exists is offered to switch to, never given a new role. */
import { useState } from 'react';
import type { User } from '../../../contract/types';
import { USER_ROLES, type UserRole } from '../../../pipelines/facs/vocabulary';
import { errorText } from '../components/Toasts';
import { useSession } from './SessionContext';
import { countOf } from '../components/plural';

export function ProfileGate() {
  const { users, selectUser, createUser, info } = useSession();
  const [name, setName] = useState('');
  const [role, setRole] = useState<UserRole>('annotator');
  const [error, setError] = useState<string | null>(null);
  const [existing, setExisting] = useState<User | null>(null);
  const create = async () => {
    if (!name.trim()) return;
    setError(null);
    try {
      const { user, created } = await createUser(name.trim(), role);
      if (!created) setExisting(user);
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <div className="gate" data-testid="profile-gate">
      <div className="gate-card">
        <div className="brand big">FEA Studio</div>
        <div className="muted">{info.name} · {countOf(info.recordCount, 'record')}</div>
        {users.length > 0 && (
          <>
            <h3>Who is labeling?</h3>
            <div className="user-list">
              {users.map((u, i) => (
                <button key={u.id} type="button" className="user-pick" data-testid={`profile-${u.name}`} onClick={() => selectUser(u)} autoFocus={i === 0}>
                  <span className="avatar">{u.name.slice(0, 1).toUpperCase()}</span>
                  <span className="grow">{u.name}</span>
                  <span className="muted">{u.role}</span>
                </button>
              ))}
            </div>
          </>
        )}
        <h3>{users.length ? 'Or create a profile' : 'Create your profile'}</h3>
        <form
          className="gate-form"
          onSubmit={(e) => {
            e.preventDefault();
            void create();
          }}
        >
          <input data-testid="profile-name" placeholder="Name" value={name} maxLength={64} onChange={(e) => {
              setName(e.target.value);
              setExisting(null);
            }}
            autoFocus={users.length === 0} />
          <select data-testid="profile-role" value={role} onChange={(e) => setRole(e.target.value as UserRole)}>
            {USER_ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          <button type="submit" className="primary" disabled={!name.trim()} data-testid="profile-create">
            Create
          </button>
        </form>
        {error && <div className="error-text">{error}</div>}
        {existing && (
          <div className="gate-exists" data-testid="profile-exists" role="alert">
            <p>
              A profile named <b>{existing.name}</b> exists already ({existing.role}). Its role is not changed here.
            </p>
            <button type="button" className="primary" data-testid="profile-switch" onClick={() => selectUser(existing)} autoFocus>
              Switch to {existing.name}
            </button>{' '}
            <button type="button" onClick={() => setExisting(null)}>
              Choose another name
            </button>
          </div>
        )}
      </div>
    </div>
  );
}
