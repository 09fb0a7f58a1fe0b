/** "1 run", "2 runs": a count with its noun in the right number (English: the plural adds "s" unless given). */
export function countOf(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}
