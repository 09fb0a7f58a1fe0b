/** A one-line form to create a split where none exists yet (subject-grouped, emotion-stratified). */
import { useState, type FormEvent } from 'react';
import { useApi } from '../api/ApiContext';
import { useUser } from '../session/SessionContext';

export function CreateSplitForm({ onCreated }: { onCreated: () => void }) {
  const api = useApi();
  const user = useUser();
  const [name, setName] = useState('main');
  const [test, setTest] = useState('20');
  const [seed, setSeed] = useState('1');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const t = Number(test);
    if (!Number.isFinite(t) || t <= 0 || t >= 100) {
      setError('Test share must be between 1 and 99 %');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api['splits.create']({
        name: name.trim(),
        ratios: { train: (100 - t) / 100, test: t / 100 },
        stratify: 'emotion',
        group: 'subject',
        seed: Number.isInteger(Number(seed)) ? Number(seed) : 0,
        userId: user.id,
      });
      onCreated();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="tr-inline-form" onSubmit={submit} data-testid="create-split-form">
      <label>
        name <input type="text" value={name} onChange={(e) => setName(e.target.value)} size={8} required data-testid="split-name" />
      </label>
      <label>
        test % <input type="number" value={test} onChange={(e) => setTest(e.target.value)} min={1} max={99} style={{ width: 52 }} />
      </label>
      <label>
        seed <input type="number" value={seed} onChange={(e) => setSeed(e.target.value)} style={{ width: 52 }} />
      </label>
      <button type="submit" className="dt-btn" disabled={busy || !name.trim()} data-testid="split-create">
        {busy ? 'Creating…' : 'Create split'}
      </button>
      {error ? <span className="tr-form__error">{error}</span> : null}
    </form>
  );
}
