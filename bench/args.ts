/** Flags of the benches that read the command line by hand (`--name value`, repeatable ones too). */

/** The value after `--name`, or `fallback` when the flag is absent or its value empty. */
export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/** Every value of a repeatable flag. */
export function args(name: string): string[] {
  const out: string[] = [];
  process.argv.forEach((a, i) => {
    if (a === `--${name}` && process.argv[i + 1] !== undefined) out.push(process.argv[i + 1]);
  });
  return out;
}

/** An integer flag of at least `min`; anything else is refused with the flag's name. */
export function count(name: string, fallback: number, min: number): number {
  const raw = arg(name, String(fallback));
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name}: expected an integer ≥ ${min}, got "${raw}"`);
  return n;
}

/** A number flag; a value that is not a number is refused with the flag's name. */
export function num(name: string, fallback: number): number {
  const raw = arg(name, String(fallback));
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new Error(`--${name}: expected a number, got "${raw}"`);
  return n;
}
