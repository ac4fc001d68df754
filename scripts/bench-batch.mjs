#!/usr/bin/env node
/**
 * Batch benchmark (issue 5): a folder of fixture scans converted by the `vnplan` command with
 * `-j 1` and then `-j 2`, as a user runs it. Measures, per run:
 *   - pages per minute (pages of the run's summary / wall-clock time of the whole command,
 *     start-up and worker start included);
 *   - peak resident memory of the process (tesseract.js workers are threads of it), sampled from
 *     /proc every 200 ms, and the peak per quarter of the run, to see that it stays flat;
 * and across runs the -j 2 / -j 1 speed-up and that both runs wrote byte-identical outputs.
 * Targets: speed-up ≥ 1.7×, peak RSS < 1.5 GiB, last-quarter peak within 10 % of the second's.
 *
 * The folder holds `--files` copies (default 40) cycling over every scan in fixtures/scans/
 * (PDF, PNG, TIFF), each under its own name. vnplan is compiled into a private folder first, so
 * a rebuild of the checkout's dist/ during the run cannot disturb it.
 *
 * Usage: node scripts/bench-batch.mjs [--files N] [--jobs 1,2] [--json] [--keep]
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, copyFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '40' },
    jobs: { type: 'string', default: '1,2' },
    json: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const fileCount = Number(values.files);
const jobList = values.jobs.split(',').map(Number);
const log = (line) => process.stderr.write(`${line}\n`);

const home = mkdtempSync(join(tmpdir(), 'vnplan-bench-batch-'));
// Ctrl-C on the benchmark stops the run being measured too (it cleans up and exits 130).
let running;
for (const name of ['SIGINT', 'SIGTERM']) {
  process.on(name, () => {
    if (running) running.kill('SIGINT');
    else process.exit(130);
  });
}
try {
  // A private build, laid out like an installed package.
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', root, '--outDir', join(home, 'pkg', 'dist')], { stdio: 'inherit' });
  cpSync(join(root, 'package.json'), join(home, 'pkg', 'package.json'));
  cpSync(join(root, 'dictionaries'), join(home, 'pkg', 'dictionaries'), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(home, 'pkg', 'node_modules'), 'dir');
  const bin = join(home, 'pkg', 'dist', 'cli', 'index.js');

  const scans = readdirSync(join(root, 'fixtures', 'scans'))
    .filter((name) => /\.(pdf|png|tiff?|jpe?g)$/i.test(name))
    .sort();
  const input = join(home, 'scans');
  mkdirSync(input);
  for (let index = 0; index < fileCount; index++) {
    const name = scans[index % scans.length];
    copyFileSync(join(root, 'fixtures', 'scans', name), join(input, `${String(index + 1).padStart(2, '0')}-${name}`));
  }
  log(`bench-batch: ${fileCount} files cycling over ${scans.length} fixture scans (${scans.join(', ')}); ${availableParallelism()} cores`);

  const runs = [];
  for (const jobs of jobList) {
    const out = join(home, `out-j${jobs}`);
    log(`  -j ${jobs} …`);
    const run = await measure(bin, ['convert', input, '-o', out, '-j', String(jobs), '--quiet'], home);
    const summary = JSON.parse(readFileSync(join(out, 'vnplan-summary.json'), 'utf8'));
    const pages = summary.totals.pages;
    const result = {
      jobs,
      exitCode: run.code,
      files: summary.totals.files,
      failed: summary.totals.failed,
      pages,
      seconds: round(run.seconds, 1),
      pagesPerMinute: round((pages / run.seconds) * 60, 2),
      peakRssMiB: round(run.peak / 2 ** 20, 0),
      quarterPeaksMiB: run.quarters.map((value) => round(value / 2 ** 20, 0)),
      meanConfidence: summary.totals.confidence,
      // Other work on the machine slows a run and hides scaling: record it.
      loadBefore: run.loadBefore,
      cpuSeconds: round(run.cpu.total, 1),
      mainThreadCpuSeconds: round(run.cpu.main, 1),
    };
    runs.push(result);
    log(`  -j ${jobs} (1-min load before: ${result.loadBefore}): ${pages} pages in ${result.seconds} s = ${result.pagesPerMinute} pages/min; peak RSS ${result.peakRssMiB} MiB (per quarter: ${result.quarterPeaksMiB.join(' / ')}); exit ${run.code}, ${result.failed} failed`);
  }

  const report = { files: fileCount, scans, cores: availableParallelism(), node: process.version, runs };
  const byJobs = new Map(runs.map((run) => [run.jobs, run]));
  if (byJobs.has(1) && byJobs.has(2)) {
    report.speedup = round(byJobs.get(2).pagesPerMinute / byJobs.get(1).pagesPerMinute, 2);
    report.identicalOutputs = sameTree(join(home, 'out-j1'), join(home, 'out-j2'));
  }
  const peak = Math.max(...runs.map((run) => run.peakRssMiB));
  const flat = runs.every((run) => run.quarterPeaksMiB[3] <= run.quarterPeaksMiB[1] * 1.1);
  report.targets = {
    'speed-up -j 2 / -j 1 >= 1.7': report.speedup === undefined ? null : report.speedup >= 1.7,
    'peak RSS < 1536 MiB': peak < 1536,
    'RSS flat (last quarter <= 1.1 x second)': flat,
    'outputs identical across -j': report.identicalOutputs ?? null,
  };
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else {
    console.log(`batch: ${fileCount} scans, ${runs[0]?.pages} pages, ${report.cores} cores`);
    for (const run of runs) {
      console.log(`  -j ${run.jobs}: ${run.pagesPerMinute} pages/min (${run.seconds} s, load ${run.loadBefore} before), peak RSS ${run.peakRssMiB} MiB, per quarter ${run.quarterPeaksMiB.join(' / ')} MiB`);
    }
    if (report.speedup !== undefined) console.log(`  speed-up -j 2 / -j 1: ${report.speedup}×; outputs identical: ${report.identicalOutputs}`);
    for (const run of runs) {
      const share = run.mainThreadCpuSeconds / run.cpuSeconds;
      console.log(`  -j ${run.jobs}: CPU ${run.cpuSeconds} s, main thread ${run.mainThreadCpuSeconds} s (${(share * 100).toFixed(0)} %); on 2 free cores -j 2 / -j 1 can reach at most ~${(2 * (1 - share)).toFixed(2)}×`);
    }
    for (const [target, met] of Object.entries(report.targets)) console.log(`  ${met === null ? 'n/a ' : met ? 'met ' : 'MISS'} ${target}`);
  }
} finally {
  if (values.keep) log(`kept ${home}`);
  else rmSync(home, { recursive: true, force: true });
}

// Run the command, sampling its resident memory from /proc.
function measure(bin, args, cwd) {
  return new Promise((resolvePromise, reject) => {
    const loadBefore = round(loadavg()[0], 2);
    const started = performance.now();
    const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
    running = child;
    const samples = [];
    const cpu = { total: 0, main: 0 };
    // utime + stime, clock ticks (100/s on Linux): the process's includes
    // threads that already ended (recycled OCR workers); the main thread's is
    // rasterizing, preprocessing, repair and structure, all on one core.
    const ticks = (path) => {
      const fields = readFileSync(path, 'utf8').replace(/^.*\) /s, '').split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    };
    const timer = setInterval(() => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const match = /VmRSS:\s+(\d+) kB/.exec(status);
        if (match) samples.push([performance.now() - started, Number(match[1]) * 1024]);
        cpu.total = ticks(`/proc/${child.pid}/stat`);
        cpu.main = ticks(`/proc/${child.pid}/task/${child.pid}/stat`);
      } catch {
        // exited between two samples
      }
    }, 200);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      running = undefined;
      if (code === 130) {
        rmSync(home, { recursive: true, force: true });
        process.exit(130);
      }
      const elapsed = performance.now() - started;
      const quarters = [0, 1, 2, 3].map((quarter) =>
        Math.max(0, ...samples.filter(([at]) => at >= (quarter * elapsed) / 4 && at < ((quarter + 1) * elapsed) / 4).map(([, rss]) => rss)),
      );
      resolvePromise({ code, loadBefore, cpu, seconds: elapsed / 1000, peak: Math.max(0, ...samples.map(([, rss]) => rss)), quarters });
    });
  });
}

function sameTree(left, right) {
  const list = (folder) =>
    readdirSync(folder, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && /\.(json|txt|md)$/.test(entry.name) && entry.name !== 'vnplan-summary.json')
      .map((entry) => relative(folder, join(entry.parentPath, entry.name)))
      .sort();
  const names = list(left);
  if (names.join('\n') !== list(right).join('\n')) return false;
  return names.every((name) => readFileSync(join(left, name)).equals(readFileSync(join(right, name))));
}

function round(value, digits) {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
