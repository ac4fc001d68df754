#!/usr/bin/env node
// Runs every benchmark in turn (or the ones named: `npm run bench -- repair structure`).
// Each bench prints its own numbers; BENCHMARKS.md records them with the machine they ran on.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

const all = ['repair', 'structure', 'tables', 'pipeline', 'batch'];
const wanted = process.argv.slice(2).length > 0 ? process.argv.slice(2) : all;
const here = fileURLToPath(new URL('.', import.meta.url));

console.log(`machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
let failed = 0;
for (const name of wanted) {
  const script = `${here}bench-${name}.mjs`;
  if (!all.includes(name) || !existsSync(script)) {
    console.error(`bench: no benchmark named "${name}" (have: ${all.join(', ')})`);
    failed++;
    continue;
  }
  console.log(`\n== ${name} ==`);
  const run = spawnSync(process.execPath, [script], { stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
