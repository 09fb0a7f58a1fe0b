/** Flags of the training commands (train, iterate): `--set KEY=VALUE` pairs and step counts. */
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

/** A positive whole-number flag (undefined when not given), at most `max`. */
export function positiveInt(name: string, v: string | undefined, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`${name}: "${v}" is not a positive whole number`);
  if (n > max) throw new CliError(`${name}: ${n} is more than the limit of ${max}`);
  return n;
}
