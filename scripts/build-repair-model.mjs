#!/usr/bin/env node
/**
 * Build the repair model (dictionaries/build/repair-model.json) from the
 * repository's sources:
 *   - dictionaries/corpus/*.txt      domain corpus → syllable language model
 *   - dictionaries/terms/*.txt       multi-syllable terms → counted again, as a dictionary
 *   - fixtures/repair/style-{a,b}/train  aligned OCR/truth lines → channel confusion weights
 * Nothing outside the repository is read unless named with --seed (for experiments only: the
 * committed model must be rebuildable from the repository alone). The test split
 * (fixtures/repair/style-{a,b}/test) is never read here.
 *
 * Needs the compiled code: run `npx tsc -p .` first.
 *
 * Usage: node scripts/build-repair-model.mjs [--out FILE] [--seed FILE]...
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { trainLanguageModel } = await import(join(root, 'dist/stages/repair/language-model.js'));
const { trainChannel } = await import(join(root, 'dist/stages/repair/channel-training.js'));
const { isUppercaseLine, couldBeSyllable } = await import(join(root, 'dist/stages/repair/tokenize.js'));
const { syllableInventory, generateInventory } = await import(join(root, 'dist/stages/repair/syllable-inventory.js'));

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: join(root, 'dictionaries/build/repair-model.json') },
    styles: { type: 'string', default: 'style-a,style-b' },
    seed: { type: 'string', multiple: true },
  },
});

/** Weight of a term line against a corpus line (more than 1 over-weighted the terms in cross-validation on the train split). */
const TERM_WEIGHT = Number(process.env.TERM_WEIGHT ?? 1);

const sources = [];
function read(path) {
  const text = readFileSync(path, 'utf8').normalize('NFC');
  sources.push({ path: relative(root, path), sha256: createHash('sha256').update(text).digest('hex') });
  return text;
}
function listTxt(folder) {
  return existsSync(folder)
    ? readdirSync(folder)
        .filter((name) => name.endsWith('.txt'))
        .sort()
        .map((name) => join(folder, name))
    : [];
}

const texts = [];
for (const path of listTxt(join(root, 'dictionaries/corpus'))) texts.push({ text: read(path), weight: 1 });
for (const path of listTxt(join(root, 'dictionaries/terms'))) {
  const lines = read(path)
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'));
  texts.push({ text: lines.join('\n'), weight: TERM_WEIGHT });
}
// Extra clean text from outside the repository, only when asked for (never in the committed model).
const seeds = (values.seed ?? []).map((path) => resolve(path));
for (const path of seeds) {
  // Table cells hold HTML markup and tabs: each cell is its own piece of text.
  const text = read(path).replace(/<[^>]*>/g, '\n').replace(/\t/g, '\n');
  texts.push({ text, weight: 1 });
}

const pairs = [];
const pairsByStyle = {};
for (const style of values.styles.split(',')) {
  const folder = join(root, 'fixtures/repair', style, 'train');
  pairsByStyle[style] = [];
  // VNPLAN_HOLD_OUT (a regular expression on file names) leaves files out, for cross-validation.
  const holdOut = process.env.VNPLAN_HOLD_OUT ? new RegExp(process.env.VNPLAN_HOLD_OUT) : null;
  for (const path of listTxt(folder).filter((p) => p.endsWith('.ocr.txt') && !(holdOut && holdOut.test(p)))) {
    const ocr = read(path).split('\n');
    const truth = read(path.replace(/\.ocr\.txt$/, '.truth.txt')).split('\n');
    ocr.forEach((line, k) => pairsByStyle[style].push({ ocr: line, truth: truth[k] ?? '' }));
  }
  pairs.push(...pairsByStyle[style]);
}

// Acronyms: words in capitals inside ordinary (not all-capitals) lines that no syllable could be.
const acronyms = new Set();
for (const { text } of texts) {
  for (const line of text.split('\n')) {
    if (isUppercaseLine(line)) continue;
    for (const word of line.match(/[\p{L}\d]+/gu) ?? []) {
      // Two capitals or more (`UBND`, and mixed ones such as `TTg`, `CTr`, `VNeID`), and no syllable.
      if (/^\p{Lu}/u.test(word) && /\p{Lu}.*\p{Lu}/u.test(word) && !couldBeSyllable(word)) acronyms.add(word);
    }
  }
}

const started = performance.now();
const lm = trainLanguageModel(texts, {
  inventorySize: syllableInventory().syllables.length,
  discount: Number(process.env.LM_DISCOUNT ?? 0.75),
  unseenMass: Number(process.env.LM_UNSEEN ?? 0.02),
  trigramDiscount: Number(process.env.LM_TRIGRAM_DISCOUNT ?? 0.75),
  minTrigramCount: Number(process.env.LM_TRIGRAM_MIN ?? 2),
});
// One channel per noise style, and one from all of them for text of another kind.
const channelOptions = {
  rounds: Number(process.env.CH_ROUNDS ?? 2),
  smoothing: Number(process.env.CH_BETA ?? 3),
  minMultiCount: Number(process.env.CH_MULTI ?? 1),
  minWordCount: Number(process.env.CH_WORDS ?? 3),
};
const channels = { pooled: trainChannel(pairs, channelOptions) };
for (const [style, list] of Object.entries(pairsByStyle)) if (list.length > 0) channels[style] = trainChannel(list, channelOptions);
const model = {
  format: 1,
  settings: { lmWeight: 1, keepCost: Number(process.env.KEEP_COST ?? 14), beam: Number(process.env.BEAM ?? 20) },
  inventory: (() => {
    const { syllables, variants } = generateInventory();
    return { syllables: syllables.join(' '), variants: variants.map((pair) => pair.join(':')).join(' ') };
  })(),
  sources,
  acronyms: [...acronyms].sort(),
  channels,
  lm,
};
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, JSON.stringify(model) + '\n');
const bytes = readFileSync(values.out).length;
console.log(
  `repair model: ${relative(process.cwd(), values.out)} (${(bytes / 1024).toFixed(0)} KiB; ${lm.vocab.length} LM types, ` +
    `${lm.bigrams.length / 3} bigrams, ${(lm.trigrams?.length ?? 0) / 4} trigrams; ${pairs.length} truth lines; ${seeds.length} seed file(s); ${Math.round(performance.now() - started)} ms)`,
);
