// Preloaded with `node --import` by the benchmark: reports this process's peak resident memory.
import { appendFileSync } from 'node:fs';

process.on('exit', () => {
  const file = process.env.CFA_BENCH_RSS_FILE;
  if (file) appendFileSync(file, `${process.resourceUsage().maxRSS}\n`);
});
