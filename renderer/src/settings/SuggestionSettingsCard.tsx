/** Settings: which model suggests labels (face analysis by default, or a trained policy), and where suggestions are allowed on held-out records. */
import { useEffect, useState } from 'react';
import type { SuggestionSettings } from '../../../contract/types';
import { useApi } from '../api/ApiContext';
import { errorText, useToast } from '../components/Toasts';

export function SuggestionSettingsCard() {
  const api = useApi();
  const toast = useToast();
  const [settings, setSettings] = useState<SuggestionSettings | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api['suggestions.getSettings']({}).then(
      (s) => live && setSettings(s),
      (err: unknown) => live && toast(`Suggestion settings not loaded: ${errorText(err)}`, 'error'),
    );
    return () => {
      live = false;
    };
  }, [api, toast]);

  if (!settings) return null;

  const save = async (next: { modelId: number | null; allowHeldOut: string[] }) => {
    try {
      setSettings(await api['suggestions.saveSettings'](next));
      toast('Suggestion settings saved');
    } catch (err) {
      toast(`Suggestion settings not saved: ${errorText(err)}`, 'error');
    }
  };

  const writeSuggestions = async (modelId: number, split: string, parts: string[]) => {
    setBusy(split);
    try {
      let written = 0;
      for (const part of parts) written += (await api['models.suggest']({ modelId, split, part })).written;
      toast(`${written} suggestion${written === 1 ? '' : 's'} written on ${split}`);
    } catch (err) {
      toast(`Suggestions not written: ${errorText(err)}`, 'error');
    } finally {
      setBusy(null);
    }
  };

  const toggleSplit = (name: string, allow: boolean) =>
    void save({ modelId: settings.modelId, allowHeldOut: allow ? [...settings.allowHeldOut, name] : settings.allowHeldOut.filter((n) => n !== name) });

  return (
    <section className="settings-card" data-testid="suggestion-settings">
      <h3>Model suggestions</h3>
      <label className="profile-row">
        <span>Suggestions come from</span>
        <select
          data-testid="suggestion-model"
          value={settings.modelId === null ? '' : String(settings.modelId)}
          onChange={(e) => void save({ modelId: e.target.value === '' ? null : Number(e.target.value), allowHeldOut: settings.allowHeldOut })}
        >
          <option value="">Face analysis</option>
          {settings.policies.map((p) => (
            <option key={p.id} value={String(p.id)}>
              {p.name} ({p.stage.toUpperCase()} policy {p.id})
            </option>
          ))}
        </select>
      </label>
      <p className="muted small-text">
        Evaluation outputs are never offered. Records of a split&apos;s held-out part (its test part, or another part but train that a model was evaluated on) show no
        suggestion, so a model&apos;s answers are not copied into the labels it is scored against, unless you allow it for that split.
      </p>
      {settings.splits.map((s) => {
        const allowed = settings.allowHeldOut.includes(s.name);
        const open = s.parts.filter((p) => allowed || !s.heldOut.includes(p));
        const modelId = settings.modelId;
        return (
          <div key={s.name} className="profile-row" data-testid={`suggestion-split-${s.name}`}>
            <label>
              <input type="checkbox" checked={allowed} onChange={(e) => toggleSplit(s.name, e.target.checked)} disabled={s.heldOut.length === 0} /> Allow suggestions on{' '}
              <b>{s.name}</b>
              {s.heldOut.length > 0 ? ` / ${s.heldOut.join(', ')}` : ' (no held-out part)'}
            </label>
            {modelId !== null && open.length > 0 && (
              <button type="button" className="small" disabled={busy !== null} onClick={() => void writeSuggestions(modelId, s.name, open)} data-testid={`suggestion-write-${s.name}`}>
                {busy === s.name ? 'writing…' : `Write this policy's suggestions on ${open.join(', ')}`}
              </button>
            )}
          </div>
        );
      })}
    </section>
  );
}
