/**
 * Learn the channel's confusion weights from aligned ground truth: pairs of
 * (OCR line, true line). Words are paired by an alignment over the line,
 * characters by a weighted edit distance under the current weights; the
 * counts of every confusion (1:1, stray marks, dropped letters, and
 * multi-character pieces such as `<l` → `đ` or `ri` → `ủ`) become costs,
 * smoothed towards the generic priors. Two rounds: the second aligns with the
 * weights the first learned.
 */
import levenshtein from 'fast-levenshtein';
import { priorDel, priorIns, priorMulti, priorSub, type ChannelWeights } from './channel.js';
import { toAscii } from './syllable-inventory.js';
import { tokenize } from './tokenize.js';

/** One aligned line of ground truth. */
export interface TruthPair {
  readonly ocr: string;
  readonly truth: string;
}

type Step = { noisy: string; clean: string };

/** Pair the word tokens of an OCR line with those of its truth line. */
export function pairWords(ocr: string, truth: string): Array<[string, string]> {
  const a = tokenize(ocr.normalize('NFC')).filter((t) => t.kind === 'word').map((t) => t.text);
  const b = tokenize(truth.normalize('NFC')).filter((t) => t.kind === 'word').map((t) => t.text.toLowerCase());
  const dist = (x: string, y: string): number => {
    const ax = toAscii(x.toLowerCase());
    const ay = toAscii(y);
    return levenshtein.get(ax, ay) / Math.max(ax.length, ay.length, 1);
  };
  const n = a.length;
  const m = b.length;
  const gap = 0.7;
  const table: number[][] = Array.from({ length: n + 1 }, (_, i) => Array.from({ length: m + 1 }, (_, j) => (i + j) * gap));
  for (let i = 1; i <= n; i += 1) {
    for (let j = 1; j <= m; j += 1) {
      table[i][j] = Math.min(table[i - 1][j] + gap, table[i][j - 1] + gap, table[i - 1][j - 1] + dist(a[i - 1], b[j - 1]));
    }
  }
  const pairs: Array<[string, string]> = [];
  let i = n;
  let j = m;
  while (i > 0 && j > 0) {
    const d = dist(a[i - 1], b[j - 1]);
    if (table[i][j] === table[i - 1][j - 1] + d) {
      if (d <= 0.67) pairs.push([a[i - 1], b[j - 1]]);
      i -= 1;
      j -= 1;
    } else if (table[i][j] === table[i - 1][j] + gap) i -= 1;
    else j -= 1;
  }
  return pairs.reverse();
}

interface Costs {
  sub(x: string, y: string): number;
  del(x: string): number;
  ins(y: string): number;
}

/** Character alignment of a noisy word to a clean word under `costs`, merged into pieces. */
export function alignChars(noisy: string, clean: string, costs: Costs): Step[] {
  const xs = [...noisy];
  const ys = [...clean];
  const n = xs.length;
  const m = ys.length;
  const table: Float64Array[] = Array.from({ length: n + 1 }, () => new Float64Array(m + 1));
  for (let i = 1; i <= n; i += 1) table[i][0] = table[i - 1][0] + costs.del(xs[i - 1]);
  for (let j = 1; j <= m; j += 1) table[0][j] = table[0][j - 1] + costs.ins(ys[j - 1]);
  for (let i = 1; i <= n; i += 1) {
    for (let j = 1; j <= m; j += 1) {
      table[i][j] = Math.min(
        table[i - 1][j - 1] + costs.sub(xs[i - 1], ys[j - 1]),
        table[i - 1][j] + costs.del(xs[i - 1]),
        table[i][j - 1] + costs.ins(ys[j - 1]),
      );
    }
  }
  const steps: Step[] = [];
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    if (i > 0 && j > 0 && table[i][j] === table[i - 1][j - 1] + costs.sub(xs[i - 1], ys[j - 1])) {
      steps.push({ noisy: xs[i - 1], clean: ys[j - 1] });
      i -= 1;
      j -= 1;
    } else if (i > 0 && table[i][j] === table[i - 1][j] + costs.del(xs[i - 1])) {
      steps.push({ noisy: xs[i - 1], clean: '' });
      i -= 1;
    } else {
      steps.push({ noisy: '', clean: ys[j - 1] });
      j -= 1;
    }
  }
  return steps.reverse();
}

/** Longest clean side of a learned multi-character confusion, chars (3 gained nothing significant in cross-validation). */
const MULTI_CLEAN = 2;

/** Runs of adjacent non-identity steps that are not plain 1:1 (e.g. `<l`→`đ`, `ri`→`ủ`). */
function multiPieces(steps: readonly Step[]): Step[] {
  const pieces: Step[] = [];
  let run: Step[] = [];
  const close = (): void => {
    // Runs with a dropped or stray char, and runs of two or more substitutions (`1m` = `ựn` in
    // `d1mg` = dựng): the engine's habit is the whole piece, more certain than its chars apart.
    if (run.length >= 2) {
      const noisy = run.map((s) => s.noisy).join('');
      const clean = run.map((s) => s.clean).join('');
      if ([...noisy].length <= 3 && [...clean].length <= MULTI_CLEAN && noisy.length > 0 && clean.length > 0) pieces.push({ noisy, clean });
    }
    run = [];
  };
  for (const step of steps) {
    if (step.noisy.toLowerCase() === step.clean) close();
    else run.push(step);
  }
  close();
  return pieces;
}

/** Learn channel weights from ground truth pairs. */
export function trainChannel(
  pairs: readonly TruthPair[],
  options: { rounds?: number; smoothing?: number; minMultiCount?: number; minWordCount?: number } = {},
): ChannelWeights {
  const rounds = options.rounds ?? 2;
  const beta = options.smoothing ?? 3;
  const words = pairs.flatMap((pair) => pairWords(pair.ocr, pair.truth));
  let weights: ChannelWeights = { sub: {}, del: {}, ins: {}, multi: {} };
  for (let round = 0; round < rounds; round += 1) {
    const current = weights;
    const costs: Costs = {
      sub: (x, y) => Math.min(current.sub[x]?.[y] ?? Infinity, priorSub(x, y)),
      del: (x) => Math.min(current.del[x] ?? Infinity, priorDel(x)),
      ins: (y) => Math.min(current.ins[y] ?? Infinity, priorIns(y)),
    };
    const subCount = new Map<string, Map<string, number>>();
    const delCount = new Map<string, number>();
    const insCount = new Map<string, number>();
    const multiCount = new Map<string, Map<string, number>>();
    const cleanCount = new Map<string, number>();
    const noisyCount = new Map<string, number>();
    const bump = (map: Map<string, number>, key: string): void => {
      map.set(key, (map.get(key) ?? 0) + 1);
    };
    const bump2 = (map: Map<string, Map<string, number>>, a: string, b: string): void => {
      let inner = map.get(a);
      if (!inner) map.set(a, (inner = new Map()));
      bump(inner, b);
    };
    const cleanWords: string[] = [];
    for (const [noisy, clean] of words) {
      cleanWords.push(clean);
      for (const char of clean) bump(cleanCount, char);
      for (const char of noisy) bump(noisyCount, char);
      const steps = alignChars(noisy, clean, costs);
      for (const step of steps) {
        if (step.noisy === '') bump(insCount, step.clean);
        else if (step.clean === '') bump(delCount, step.noisy);
        else bump2(subCount, step.noisy, step.clean);
      }
      for (const piece of multiPieces(steps)) bump2(multiCount, piece.noisy, piece.clean);
    }
    const round3 = (value: number): number => Math.round(value * 1000) / 1000;
    const sub: Record<string, Record<string, number>> = {};
    for (const [x, inner] of subCount) {
      for (const [y, count] of inner) {
        const p = (count + beta * Math.exp(-priorSub(x, y))) / ((cleanCount.get(y) ?? 0) + beta);
        (sub[x] ??= {})[y] = round3(Math.max(0, -Math.log(p)));
      }
    }
    const del: Record<string, number> = {};
    for (const [x, count] of delCount) {
      del[x] = round3(-Math.log((count + beta * Math.exp(-priorDel(x))) / ((noisyCount.get(x) ?? 0) + beta)));
    }
    const ins: Record<string, number> = {};
    for (const [y, count] of insCount) {
      ins[y] = round3(-Math.log((count + beta * Math.exp(-priorIns(y))) / ((cleanCount.get(y) ?? 0) + beta)));
    }
    const priors = priorMulti();
    const multi: Record<string, Record<string, number>> = {};
    for (const [x, inner] of multiCount) {
      for (const [y, count] of inner) {
        if (count < (options.minMultiCount ?? 2)) continue; // one sighting is an accident of one word, not a habit of the engine
        const occurrences = cleanWords.reduce((sum, word) => sum + word.split(y).length - 1, 0);
        const prior = Math.exp(-(priors[x]?.[y] ?? 8));
        (multi[x] ??= {})[y] = round3(Math.max(0, -Math.log((count + beta * prior) / (occurrences + beta))));
      }
    }
    weights = { sub, del, ins, multi };
  }
  // Whole tokens: P(token | syllable), for tokens the engine printed often enough to tell.
  const minWord = options.minWordCount ?? 3;
  const tokenCount = new Map<string, Map<string, number>>();
  const syllableCount = new Map<string, number>();
  for (const [noisy, clean] of words) {
    const key = noisy.charAt(0).toLowerCase() + noisy.slice(1);
    syllableCount.set(clean, (syllableCount.get(clean) ?? 0) + 1);
    if (key === clean) continue;
    let inner = tokenCount.get(key);
    if (!inner) tokenCount.set(key, (inner = new Map()));
    inner.set(clean, (inner.get(clean) ?? 0) + 1);
  }
  const wordCosts: Record<string, Record<string, number>> = {};
  for (const [key, inner] of tokenCount) {
    let total = 0;
    for (const count of inner.values()) total += count;
    if (total < minWord) continue;
    for (const [clean, count] of inner) {
      if (count < 2) continue;
      (wordCosts[key] ??= {})[clean] = Math.round(-Math.log(count / (syllableCount.get(clean)! + 1)) * 1000) / 1000;
    }
  }
  return minWord > 0 ? { ...weights, words: wordCosts } : weights;
}
