/** Settings: the profile, the suggestion source (per workspace) and the keymap editor (capture a key, conflicts, restore defaults), saved per user. */
import { useEffect, useMemo, useState } from 'react';
import { Kbd } from '../components/Kbd';
import { errorText, useToast } from '../components/Toasts';
import { conflictsOf, findConflicts, workspaceActions, type Keymap } from '../keymap/keymap';
import { eventKey } from '../keymap/keys';
import { useSession, useUser } from '../session/SessionContext';
import { SuggestionSettingsCard } from './SuggestionSettingsCard';
import { countOf } from '../components/plural';

export function SettingsView() {
  const { info, keymap, defaults, saveKeymap, signOut } = useSession();
  const user = useUser();
  const toast = useToast();
  const [draft, setDraft] = useState<Keymap>(keymap);
  const [capturing, setCapturing] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const actions = useMemo(() => workspaceActions(info.emotions, info.aus), [info]);
  const conflicts = useMemo(() => findConflicts(draft), [draft]);
  const dirty = JSON.stringify(draft) !== JSON.stringify(keymap);

  useEffect(() => setDraft(keymap), [keymap]);

  useEffect(() => {
    if (!capturing) return;
    const onKey = (e: KeyboardEvent) => {
      e.preventDefault();
      e.stopImmediatePropagation();
      const key = eventKey(e);
      if (!key) return;
      if (key === 'escape') setCapturing(null);
      else if (key === 'backspace' || key === 'delete') {
        setDraft((d) => ({ ...d, [capturing]: '' }));
        setCapturing(null);
      } else {
        setDraft((d) => ({ ...d, [capturing]: key }));
        setCapturing(null);
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [capturing]);

  const save = async () => {
    try {
      await saveKeymap(draft);
      toast('Keymap saved');
    } catch (err) {
      toast(`Keymap not saved: ${errorText(err)}`, 'error');
    }
  };

  const groups = ['Record', 'Form', 'Image', 'Emotion', 'AU'] as const;
  const label = (id: string) => actions.find((a) => a.id === id)?.label ?? id;
  const shown = actions.filter((a) => !filter || `${a.label} ${draft[a.id]}`.toLowerCase().includes(filter.toLowerCase()));

  return (
    <div className="settings-view" data-testid="settings-view">
      <section className="settings-card">
        <h3>Profile</h3>
        <div className="profile-row">
          <span className="avatar">{user.name.slice(0, 1).toUpperCase()}</span>
          <span>
            <b>{user.name}</b> <span className="muted">{user.role}</span>
          </span>
          <button type="button" className="small" onClick={signOut}>
            Switch profile
          </button>
        </div>
        <div className="muted small-text">
          Workspace <b>{info.name}</b> · {info.path} · schema v{info.schemaVersion} · {countOf(info.recordCount, 'record')}
          {info.backend ? ` · backend ${info.backend}` : ''}
        </div>
      </section>
      <SuggestionSettingsCard />
      <section className="settings-card keymap">
        <div className="keymap-head">
          <h3>Keys</h3>
          <input placeholder="Filter actions" value={filter} onChange={(e) => setFilter(e.target.value)} />
          <span className="grow" />
          {conflicts.size > 0 && (
            <span className="badge warn" data-testid="keymap-conflicts">
              {conflicts.size} conflict{conflicts.size > 1 ? 's' : ''}
            </span>
          )}
          <button type="button" className="small" onClick={() => setDraft(defaults)} data-testid="keymap-defaults">
            Restore defaults
          </button>
          <button type="button" className="small" disabled={!dirty} onClick={() => setDraft(keymap)}>
            Revert
          </button>
          <button type="button" className="small primary" disabled={!dirty || conflicts.size > 0} onClick={() => void save()} data-testid="keymap-save">
            Save
          </button>
        </div>
        <p className="muted small-text">
          Click a key to rebind it, then press the new key (Esc cancels, Backspace unbinds). An AU key also claims Shift+key (intensity) and Alt+key (side).
          Plain keys act only outside the reasoning editor; Ctrl/⌘ combinations act everywhere.
        </p>
        <div className="keymap-cols">
          {groups.map((g) => {
            const list = shown.filter((a) => a.group === g);
            if (!list.length) return null;
            return (
              <div key={g} className="keymap-group">
                <h4>{g}</h4>
                {list.map((a) => {
                  const clash = conflictsOf(draft, a.id);
                  return (
                    <div key={a.id} className={`keymap-row${clash.length ? ' conflict' : ''}`} data-testid={`keymap-${a.id}`}>
                      <span className="k-label">{a.label}</span>
                      <button type="button" className={`key-capture${capturing === a.id ? ' capturing' : ''}`} onClick={() => setCapturing(a.id)}>
                        {capturing === a.id ? 'press a key…' : <Kbd k={draft[a.id]} />}
                        {!draft[a.id] && capturing !== a.id && <span className="muted">unbound</span>}
                      </button>
                      {draft[a.id] !== defaults[a.id] && <span className="muted small-text">default {defaults[a.id] ? <Kbd k={defaults[a.id]} /> : 'none'}</span>}
                      {clash.length > 0 && <span className="clash">clashes with {clash.map(label).join(', ')}</span>}
                    </div>
                  );
                })}
              </div>
            );
          })}
        </div>
      </section>
    </div>
  );
}
