/**
 * Preloaded (`node -r dist/bench/peak-rss.js …`) into a command a bench runs: at exit, the process' peak RSS (KB)
 * is written to the file named by FEA_BENCH_RSS_FILE, so a CLI run's memory is measured without changing the CLI.
 */
import * as fs from 'node:fs';

const file = process.env.FEA_BENCH_RSS_FILE;
if (file) process.on('exit', () => fs.writeFileSync(file, String(process.resourceUsage().maxRSS)));
