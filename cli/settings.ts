/** `--set KEY=VALUE` pairs of the training commands (train, iterate). */
import { CliError } from './output';

/** KEY=VALUE pairs as own properties (Object.fromEntries defines them: `__proto__=…` stays a key); the service checks the names. */
export function parseSets(sets: string[] | undefined): Record<string, number | string | boolean> {
  const out = new Map<string, number | string | boolean>();
  for (const s of sets ?? []) {
    const eq = s.indexOf('=');
    if (eq < 1) throw new CliError(`--set: "${s}" is not KEY=VALUE`);
    const key = s.slice(0, eq).trim();
    const raw = s.slice(eq + 1).trim();
    out.set(key, raw === 'true' ? true : raw === 'false' ? false : raw !== '' && !Number.isNaN(Number(raw)) ? Number(raw) : raw);
  }
  return Object.fromEntries(out);
}
