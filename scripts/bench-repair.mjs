#!/usr/bin/env node
/**
 * Benchmark of the repair stage (issue 3): syllable accuracy before/after
 * repair on each test split, the share of syllables changed on clean text,
 * speed, load time and memory. Needs `npx tsc -p .` and a built model.
 *
 * Usage: node scripts/bench-repair.mjs [--model FILE] [--split test|train] [--json] [--seed-model]
 *   --seed-model  also build a model that adds the clean seeds (../shared/seeds/*.clean.txt, outside the
 *                 repository) to the language model, into a temp dir, and report its accuracy: how much
 *                 in-domain text of the same documents would help. The committed model never has it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    split: { type: 'string', default: 'test' },
    json: { type: 'boolean', default: false },
    'seed-model': { type: 'boolean', default: false },
    'child-speed': { type: 'boolean', default: false },
  },
});

const repairModule = join(root, 'dist/stages/repair/index.js');

/** Syllables and numbers of a text (punctuation and spacing ignored), NFC. */
function syllables(text) {
  return text.normalize('NFC').match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
}

/** Tokens of `truth` matched by an optimal edit-distance alignment with `output`. */
function matched(output, truth) {
  const a = output;
  const b = truth;
  let previous = new Int32Array(b.length + 1).map((_, j) => j);
  // Track matches along the optimal path: cost = edits, ties broken towards more matches.
  let prevMatch = new Int32Array(b.length + 1);
  for (let i = 1; i <= a.length; i += 1) {
    const row = new Int32Array(b.length + 1);
    const match = new Int32Array(b.length + 1);
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const same = a[i - 1] === b[j - 1];
      const diag = previous[j - 1] + (same ? 0 : 1);
      const up = previous[j] + 1;
      const left = row[j - 1] + 1;
      let best = diag;
      let m = prevMatch[j - 1] + (same ? 1 : 0);
      if (up < best || (up === best && prevMatch[j] > m)) {
        best = up;
        m = prevMatch[j];
      }
      if (left < best || (left === best && match[j - 1] > m)) {
        best = left;
        m = match[j - 1];
      }
      row[j] = best;
      match[j] = m;
    }
    previous = row;
    prevMatch = match;
  }
  return prevMatch[b.length];
}

function pairsOf(style, split) {
  const folder = join(root, 'fixtures/repair', style, split);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => name.endsWith('.ocr.txt'))
    .sort()
    .map((name) => ({
      name,
      ocr: readFileSync(join(folder, name), 'utf8'),
      truth: readFileSync(join(folder, name.replace(/\.ocr\.txt$/, '.truth.txt')), 'utf8'),
    }));
}

function cleanTexts() {
  const texts = [];
  const seeds = resolve(root, '../shared/seeds');
  if (existsSync(seeds)) {
    for (const name of readdirSync(seeds).filter((n) => n.endsWith('.clean.txt'))) {
      texts.push({ name: `seed:${name}`, text: readFileSync(join(seeds, name), 'utf8') });
    }
  }
  for (const style of ['style-a', 'style-b']) {
    for (const split of ['train', 'test']) {
      for (const pair of pairsOf(style, split)) texts.push({ name: `truth:${style}/${split}/${pair.name}`, text: pair.truth });
    }
  }
  return texts;
}

async function accuracy(modelPath) {
  const { createRepairer } = await import(repairModule);
  const repairer = createRepairer(modelPath ? { modelPath } : null);
  const result = {};
  for (const style of ['style-a', 'style-b']) {
    let total = 0;
    let before = 0;
    let after = 0;
    const files = [];
    for (const pair of pairsOf(style, values.split)) {
      const truth = syllables(pair.truth);
      const repaired = repairer.repairText(pair.ocr).text;
      const b = matched(syllables(pair.ocr), truth);
      const a = matched(syllables(repaired), truth);
      total += truth.length;
      before += b;
      after += a;
      files.push({ file: pair.name, syllables: truth.length, before: b / truth.length, after: a / truth.length });
    }
    result[style] = { syllables: total, before: before / total, after: after / total, files };
  }
  // Clean text: the share of syllables repair changes.
  let words = 0;
  let changed = 0;
  const cleanFiles = [];
  for (const { name, text } of cleanTexts()) {
    const input = syllables(text);
    const output = syllables(repairer.repairText(text).text);
    let diff = 0;
    if (output.length !== input.length) diff = Math.abs(output.length - input.length) + input.length - matched(output, input);
    else for (let k = 0; k < input.length; k += 1) if (input[k] !== output[k]) diff += 1;
    words += input.length;
    changed += diff;
    cleanFiles.push({ file: name, syllables: input.length, changed: diff });
  }
  result.clean = { syllables: words, changed, rate: changed / words, files: cleanFiles };
  result.residual = await residual(repairer);
  return result;
}

/**
 * Residual errors of an OCR engine that knows Vietnamese (Tesseract's `vie`): mostly one wrong or
 * missing mark. Simulated, deterministically, on the truth of the test split (text the language
 * model never saw): 5 % of the syllables get a wrong tone, lose all marks, or lose their vowel
 * shape or đ. Reported as syllable accuracy before and after repair.
 */
async function residual(repairer) {
  const inventory = await import(join(root, 'dist/stages/repair/syllable-inventory.js'));
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const damage = (word) => {
    const lower = word.toLowerCase();
    if (inventory.canonicalSyllable(lower) === undefined || random() > 0.05) return word;
    const kind = random();
    let out;
    if (kind < 0.4) out = inventory.applyTone(inventory.stripTone(lower), (inventory.toneOf(lower) + 1 + Math.floor(random() * 5)) % 6);
    else if (kind < 0.7) out = inventory.toAscii(lower);
    else out = lower.replace('đ', 'd').replace(/[ơư]/u, (c) => (c === 'ơ' ? 'o' : 'u')).replace('ê', 'e').replace('â', 'a').replace('ô', 'o');
    return word[0] === lower[0] ? out : out.charAt(0).toUpperCase() + out.slice(1);
  };
  let total = 0;
  let before = 0;
  let after = 0;
  for (const style of ['style-a', 'style-b']) {
    for (const pair of pairsOf(style, values.split)) {
      const truth = syllables(pair.truth);
      const noisy = pair.truth.normalize('NFC').replace(/\p{L}+/gu, damage);
      total += truth.length;
      before += matched(syllables(noisy), truth);
      after += matched(syllables(repairer.repairText(noisy).text), truth);
    }
  }
  return { syllables: total, before: before / total, after: after / total };
}

/** Load time, speed and memory, measured in a fresh process so caches and JIT start cold. */
function speed(modelPath) {
  // CPU time (user + system) as well as wall time: other processes on the machine slow the wall clock.
  const script = `
    const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
    const t0 = performance.now();
    const { createRepairer } = await import(${JSON.stringify(repairModule)});
    const t1 = performance.now(); const c1 = cpu();
    const repairer = createRepairer(${modelPath ? JSON.stringify({ modelPath }) : 'null'});
    const t2 = performance.now(); const c2 = cpu();
    const texts = JSON.parse(process.env.BENCH_TEXTS);
    let count = 0;
    for (const text of texts) count += (text.normalize('NFC').match(/[\\p{L}\\p{M}\\p{N}]+/gu) ?? []).length;
    const t3 = performance.now(); const c3 = cpu();
    for (const text of texts) repairer.repairText(text);
    const t4 = performance.now(); const c4 = cpu();
    for (const text of texts) repairer.repairText(text);
    const t5 = performance.now(); const c5 = cpu();
    // A second repairer in the same process: compiled code is warm, its caches are empty.
    const fresh = createRepairer(${modelPath ? JSON.stringify({ modelPath }) : 'null'});
    const t6 = performance.now(); const c6 = cpu();
    for (const text of texts) fresh.repairText(text);
    const t7 = performance.now(); const c7 = cpu();
    const rss = process.memoryUsage().rss;
    console.log(JSON.stringify({
      importMs: t1 - t0, loadMs: t2 - t1, loadCpuMs: c2 - c1, syllables: count,
      coldPerSecond: count / ((t4 - t3) / 1000), coldPerCpuSecond: count / ((c4 - c3) / 1000),
      warmPerSecond: count / ((t5 - t4) / 1000), warmPerCpuSecond: count / ((c5 - c4) / 1000),
      steadyPerSecond: count / ((t7 - t6) / 1000), steadyPerCpuSecond: count / ((c7 - c6) / 1000),
      rssMiB: rss / 2 ** 20,
    }));
  `;
  const texts = [...cleanTexts().filter((t) => t.name.startsWith('seed:')).map((t) => t.text)];
  for (const style of ['style-a', 'style-b']) for (const split of ['train', 'test']) for (const pair of pairsOf(style, split)) texts.push(pair.ocr);
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, BENCH_TEXTS: JSON.stringify(texts) },
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

const pct = (x) => `${(100 * x).toFixed(2)} %`;
const report = { split: values.split, model: values.model ?? 'dictionaries/build/repair-model.json' };
report.accuracy = await accuracy(values.model);
report.speed = speed(values.model);
if (values['seed-model']) {
  const out = join(tmpdir(), `vnplan-repair-seed-${process.pid}.json`);
  const folder = resolve(root, '../shared/seeds');
  const seeds = existsSync(folder) ? readdirSync(folder).filter((n) => n.endsWith('.clean.txt')).flatMap((n) => ['--seed', join(folder, n)]) : [];
  execFileSync(process.execPath, [join(root, 'scripts/build-repair-model.mjs'), ...seeds, '--out', out], { stdio: 'ignore' });
  report.withSeed = await accuracy(out);
}

if (values.json) {
  console.log(JSON.stringify(report, null, 2));
} else {
  const show = (label, acc) => {
    for (const style of ['style-a', 'style-b']) {
      const s = acc[style];
      console.log(`${label} ${style} (${values.split}, ${s.syllables} syllables): before ${pct(s.before)}  after ${pct(s.after)}`);
    }
    console.log(`${label} clean text: ${acc.clean.changed} of ${acc.clean.syllables} syllables changed (${pct(acc.clean.rate)})`);
    const r = acc.residual;
    console.log(`${label} simulated residual errors (5 % of syllables mis-marked, ${r.syllables} syllables): before ${pct(r.before)}  after ${pct(r.after)}`);
  };
  show('model', report.accuracy);
  if (report.withSeed) show('with-seed', report.withSeed);
  const s = report.speed;
  console.log(
    `speed: import ${s.importMs.toFixed(0)} ms, load ${s.loadMs.toFixed(0)} ms (cpu ${s.loadCpuMs.toFixed(0)} ms); ${s.syllables} syllables: ` +
      `first pass in a new process ${Math.round(s.coldPerSecond)}/s (cpu ${Math.round(s.coldPerCpuSecond)}/s), ` +
      `same texts again ${Math.round(s.warmPerSecond)}/s (cpu ${Math.round(s.warmPerCpuSecond)}/s), ` +
      `new repairer, warm code ${Math.round(s.steadyPerSecond)}/s (cpu ${Math.round(s.steadyPerCpuSecond)}/s); rss ${s.rssMiB.toFixed(0)} MiB`,
  );
}
