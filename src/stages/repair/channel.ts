/**
 * The channel model of the noisy channel: how likely an OCR engine printed the
 * token `noisy` when the page said the syllable `clean`, as a cost in nats
 * (−log probability). It is a weighted edit distance over characters whose
 * weights come from two places:
 *
 * - generic priors that hold for any OCR of Vietnamese (a lost or wrong
 *   diacritic is cheap; a digit or symbol where a vowel should be is likely
 *   OCR junk; `tl`/`<l`/`d` for `đ`; `P` for `Đ`), and
 * - confusion counts learned from aligned ground truth (the train split),
 *   which replace the priors where they have evidence.
 *
 * Candidates are found by a search that walks the noisy token and a trie of
 * all Vietnamese syllables together, so only real syllables are ever proposed
 * and no syllable is scored twice.
 */
import { isVowel, syllableInventory, toAscii, untoneChar } from './syllable-inventory.js';

/** Learned weights (costs in nats), as stored in the built model. */
export interface ChannelWeights {
  /** noisy char → clean char → cost. */
  readonly sub: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** noisy char → cost of it being junk (deleted). */
  readonly del: Readonly<Record<string, number>>;
  /** clean char → cost of the OCR dropping it. */
  readonly ins: Readonly<Record<string, number>>;
  /** noisy segment (1–3 chars) → clean segment (1–2 chars) → cost, for segments other than 1:1. */
  readonly multi: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/** A candidate reading of a token. */
export interface ChannelCandidate {
  /** Lowercase canonical syllable. */
  readonly syllable: string;
  /** Channel cost in nats (0 = the token is exactly this syllable). */
  readonly cost: number;
}

const ASCII_VOWELS = new Set(['a', 'e', 'i', 'o', 'u', 'y']);

function isLatinLetter(char: string): boolean {
  return /^[a-zđ]$/u.test(toAscii(char).toLowerCase()) || /^\p{Script=Latin}$/u.test(char);
}

/** Generic cost of reading clean char `y` as noisy char `x` (lowercase `y`). */
export function priorSub(x: string, y: string): number {
  const xl = x.toLowerCase();
  if (xl === y) return 0;
  const ay = toAscii(y);
  const yVowel = isVowel(y);
  if (/^\p{L}$/u.test(xl) && isLatinLetter(xl)) {
    const ax = toAscii(xl);
    if (ax === ay) return xl === ax ? 1.8 : 2.5; // marks lost, or marks wrong
    if (y === 'đ' && xl === 'p') return x === 'P' ? 2.5 : 3.5;
    if (yVowel && ASCII_VOWELS.has(ax)) return 4.5;
    if (yVowel) return 5.5;
    if (xl === 'l' && y === 'i') return 4.5;
    return 7;
  }
  if (/^\d$/u.test(x)) {
    if (yVowel) {
      if (x === '0' && ay === 'o') return 2.5;
      if (x === '6' && (ay === 'o' || ay === 'a' || ay === 'e')) return 2.5;
      return 3.5;
    }
    if (x === '1' && (y === 'l' || y === 'i' || y === 't')) return 3.5;
    if ((x === '9' && (y === 'g' || y === 'q')) || (x === '5' && y === 's') || (x === '8' && y === 'b')) return 4;
    return 7.5;
  }
  if (yVowel) return 4;
  if (x === 'Đ' || x === 'Ð') return y === 'đ' ? 0.5 : 7.5;
  return 7.5;
}

/** Generic cost of a noisy char being a stray mark with no clean counterpart. */
export function priorDel(x: string): number {
  if (/^\p{L}$/u.test(x)) return 5.5;
  if (/^\d$/u.test(x)) return 4.5;
  return 3;
}

/** Generic cost of the OCR dropping a clean char. */
export function priorIns(y: string): number {
  return isVowel(y) ? 5 : 5.5;
}

const U_FAMILY = 'uùúủũụưừứửữự';
/** Generic costs of multi-character confusions (noisy segment → clean segment). */
export function priorMulti(): Record<string, Record<string, number>> {
  const multi: Record<string, Record<string, number>> = {};
  const add = (noisy: string, clean: string, cost: number): void => {
    multi[noisy] ??= {};
    multi[noisy][clean] = Math.min(multi[noisy][clean] ?? Infinity, cost);
  };
  for (const noisy of ['tl', '<l', 'cl', 'rl', 'd']) add(noisy, 'đ', noisy === 'd' ? 2.2 : noisy === 'rl' ? 4 : 3);
  for (const noisy of ['ri', 'ti', 'rr', 'fl', 'ft', 'rl']) for (const clean of U_FAMILY) add(noisy, clean, noisy.startsWith('f') ? 4 : 3.8);
  for (const noisy of ['I(', 'l(', '|(', 'l<']) add(noisy, 'k', 3.5);
  return multi;
}

/** The trie of the syllables' letters with marks removed, in flat arrays. */
interface Trie {
  /** For node n: children are childChar/childNode[first[n] .. first[n+1]). */
  readonly first: Int32Array;
  readonly childChar: Int32Array;
  readonly childNode: Int32Array;
  /** Index into `bases` of the letters ending at node n, or -1. */
  readonly terminal: Int32Array;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

function buildTrie(bases: readonly string[]): Trie {
  const children: Array<Map<number, number>> = [new Map()];
  const terminal: number[] = [-1];
  bases.forEach((base, index) => {
    let node = 0;
    for (const char of base) {
      const code = LETTERS.indexOf(char);
      let next = children[node].get(code);
      if (next === undefined) {
        next = children.length;
        children.push(new Map());
        terminal.push(-1);
        children[node].set(code, next);
      }
      node = next;
    }
    terminal[node] = index;
  });
  const first = new Int32Array(children.length + 1);
  let total = 0;
  children.forEach((map, node) => {
    first[node] = total;
    total += map.size;
  });
  first[children.length] = total;
  const childChar = new Int32Array(total);
  const childNode = new Int32Array(total);
  children.forEach((map, node) => {
    let at = first[node];
    for (const [code, next] of map) {
      childChar[at] = code;
      childNode[at] = next;
      at += 1;
    }
  });
  return { first, childChar, childNode, terminal: Int32Array.from(terminal) };
}

/** Options of the candidate search. */
export interface SearchLimits {
  /** Most candidates returned (default: `16`). */
  readonly limit?: number;
  /** Costliest candidate kept, nats (default: `16`). */
  readonly maxCost?: number;
  /** Keep candidates within this many nats of the best (default: `9`). */
  readonly window?: number;
}

/** The channel: scores and candidate search. */
export interface Channel {
  /** Best syllables for a noisy token (any case), cheapest first. */
  candidates(noisy: string, limits?: SearchLimits): ChannelCandidate[];
  /** Channel cost of one noisy char against one clean char (for tests and diagnostics). */
  subCost(noisy: string, clean: string): number;
}

/** A search state: a trie node reached after reading part of the noisy token. */
interface State {
  readonly node: number;
  readonly cost: number;
  readonly parent: State | null;
  /** Noisy chars consumed by the last step ('' for an insertion). */
  readonly noisy: string;
  /** Clean letters produced by the last step (0 for a deletion). */
  readonly produced: number;
}

const MAX_STATES = 40;
const BEAM = 8;
const STEP_LIMIT = 8;

/** Build a channel over the syllable inventory from learned weights (or priors only). */
export function createChannel(weights?: ChannelWeights | null): Channel {
  const syllables = syllableInventory().syllables;
  const variantsOf = new Map<string, string[]>();
  for (const syllable of syllables) {
    const base = toAscii(syllable).replace('đ', 'd');
    const list = variantsOf.get(base);
    if (list) list.push(syllable);
    else variantsOf.set(base, [syllable]);
  }
  const bases = [...variantsOf.keys()];
  const baseVariants = bases.map((base) => variantsOf.get(base)!);
  const trie = buildTrie(bases);
  const learned = weights ?? { sub: {}, del: {}, ins: {}, multi: {} };
  const cleanChars = [...new Set(syllables.flatMap((s) => [...s]))];
  const family = LETTERS.split('').map((letter) => cleanChars.filter((c) => toAscii(c).replace('đ', 'd') === letter));
  const insExact = new Map<string, number>();
  for (const y of cleanChars) insExact.set(y, learned.ins[y] ?? priorIns(y));
  const insLetter = family.map((chars) => Math.min(Infinity, ...chars.map((c) => insExact.get(c)!)));

  const multi = priorMulti();
  for (const [noisy, map] of Object.entries(learned.multi)) {
    for (const [clean, cost] of Object.entries(map)) {
      multi[noisy] ??= {};
      multi[noisy][clean] = Math.min(multi[noisy][clean] ?? Infinity, cost);
    }
  }
  // Multi segments by noisy segment: their clean letters (marks removed) and cheapest cost.
  const multiLetters = new Map<string, Array<{ codes: number[]; cost: number }>>();
  for (const [noisy, map] of Object.entries(multi)) {
    const best = new Map<string, number>();
    for (const [clean, cost] of Object.entries(map)) {
      const letters = toAscii(clean).replace('đ', 'd');
      if (!/^[a-z]+$/.test(letters)) continue;
      best.set(letters, Math.min(best.get(letters) ?? Infinity, cost));
    }
    const list = [...best].map(([letters, cost]) => ({ codes: [...letters].map((c) => LETTERS.indexOf(c)), cost }));
    if (list.length > 0) multiLetters.set(noisy, list);
  }
  const maxMulti = Math.max(1, ...[...multiLetters.keys()].map((k) => [...k].length));

  const exactRows = new Map<string, Map<string, number>>();
  const letterRows = new Map<string, Float64Array>();
  const delCosts = new Map<string, number>();

  function subOne(x: string, y: string): number {
    const learnedCost = learned.sub[x]?.[y];
    const prior = priorSub(x, y);
    return learnedCost === undefined ? prior : Math.min(learnedCost, prior + 1.5);
  }

  function exactRow(x: string): Map<string, number> {
    let costs = exactRows.get(x);
    if (costs) return costs;
    costs = new Map();
    const lower = x.toLowerCase();
    for (const y of cleanChars) {
      let cost = subOne(x, y);
      // A capital can always stand for its own lowercase letter (headings).
      if (lower !== x) cost = Math.min(cost, subOne(lower, y) + 0.2);
      costs.set(y, cost);
    }
    exactRows.set(x, costs);
    return costs;
  }

  function letterRow(x: string): Float64Array {
    let costs = letterRows.get(x);
    if (costs) return costs;
    const exact = exactRow(x);
    costs = new Float64Array(LETTERS.length).fill(Infinity);
    family.forEach((chars, letter) => {
      for (const y of chars) costs![letter] = Math.min(costs![letter], exact.get(y)!);
    });
    letterRows.set(x, costs);
    return costs;
  }

  function delCost(x: string): number {
    let cost = delCosts.get(x);
    if (cost === undefined) {
      cost = learned.del[x] ?? priorDel(x);
      delCosts.set(x, cost);
    }
    return cost;
  }

  function findChild(node: number, code: number): number {
    for (let k = trie.first[node]; k < trie.first[node + 1]; k += 1) if (trie.childChar[k] === code) return trie.childNode[k];
    return -1;
  }

  /** Exact cost of one step of a path against the marked clean chars it produced. */
  function stepCost(noisy: string, clean: string): number {
    if (noisy === '') return insExact.get(clean) ?? Infinity;
    if (clean === '') return delCost(noisy);
    if (noisy.length === 1 && [...clean].length === 1) return exactRow(noisy).get(clean) ?? Infinity;
    const viaMulti = multi[noisy]?.[clean];
    if (viaMulti !== undefined) return viaMulti;
    const lower = noisy.toLowerCase();
    return lower !== noisy ? (multi[lower]?.[clean] ?? Infinity) + 0.2 : Infinity;
  }

  function candidates(noisy: string, limits: SearchLimits = {}): ChannelCandidate[] {
    const limit = limits.limit ?? 16;
    const maxCost = limits.maxCost ?? 16;
    const window = limits.window ?? 9;
    const xs = [...noisy];
    const n = xs.length;
    const frontier: Array<Map<number, State>> = Array.from({ length: n + 1 }, () => new Map());
    frontier[0].set(0, { node: 0, cost: 0, parent: null, noisy: '', produced: 0 });
    const relax = (i: number, node: number, cost: number, parent: State, consumed: string, produced: number): void => {
      if (cost > maxCost) return;
      const map = frontier[i];
      const old = map.get(node);
      if (old === undefined || cost < old.cost) map.set(node, { node, cost, parent, noisy: consumed, produced });
    };
    for (let i = 0; i <= n; i += 1) {
      const map = frontier[i];
      if (map.size === 0) continue;
      let states = [...map.values()];
      let best = Infinity;
      for (const state of states) if (state.cost < best) best = state.cost;
      // One insertion (a letter the OCR dropped) from the cheaper states.
      for (const state of states) {
        if (state.cost > best + BEAM / 2) continue;
        for (let k = trie.first[state.node]; k < trie.first[state.node + 1]; k += 1) {
          relax(i, trie.childNode[k], state.cost + insLetter[trie.childChar[k]], state, '', 1);
        }
      }
      states = [...map.values()].filter((state) => state.cost <= best + BEAM);
      if (states.length > MAX_STATES) {
        states.sort((a, b) => a.cost - b.cost);
        states = states.slice(0, MAX_STATES);
      }
      if (i === n) {
        frontier[i] = new Map(states.map((state) => [state.node, state]));
        break;
      }
      const x = xs[i];
      const costs = letterRow(x);
      const del = delCost(x);
      for (const state of states) {
        for (let k = trie.first[state.node]; k < trie.first[state.node + 1]; k += 1) {
          const step = costs[trie.childChar[k]];
          if (step < STEP_LIMIT) relax(i + 1, trie.childNode[k], state.cost + step, state, x, 1);
        }
        relax(i + 1, state.node, state.cost + del, state, x, 0);
        let segment = x;
        for (let len = 2; len <= maxMulti && i + len <= n; len += 1) {
          segment += xs[i + len - 1];
          const list = multiLetters.get(segment) ?? multiLetters.get(segment.toLowerCase());
          if (!list) continue;
          for (const { codes, cost: step } of list) {
            let at = state.node;
            for (const code of codes) {
              at = findChild(at, code);
              if (at < 0) break;
            }
            if (at >= 0) relax(i + len, at, state.cost + step, state, segment, codes.length);
          }
        }
      }
    }
    const found = new Map<string, number>();
    for (const state of frontier[n].values()) {
      const baseIndex = trie.terminal[state.node];
      if (baseIndex < 0) continue;
      const steps: State[] = [];
      for (let at: State | null = state; at && at.parent; at = at.parent) steps.push(at);
      steps.reverse();
      for (const variant of baseVariants[baseIndex]) {
        const chars = [...variant];
        let cost = 0;
        let position = 0;
        for (const step of steps) {
          cost += stepCost(step.noisy, chars.slice(position, position + step.produced).join(''));
          position += step.produced;
          if (cost > maxCost) break;
        }
        if (cost <= maxCost && cost < (found.get(variant) ?? Infinity)) found.set(variant, cost);
      }
    }
    const list = [...found].map(([syllable, cost]) => ({ syllable, cost })).sort((a, b) => a.cost - b.cost);
    if (list.length === 0) return list;
    const cut = list[0].cost + window;
    return list.filter((c) => c.cost <= cut).slice(0, limit);
  }

  return {
    candidates,
    subCost: (noisy, clean) => exactRow(noisy).get(clean) ?? Infinity,
  };
}

/** Marks-only difference test used by training and diagnostics: same letters, other marks. */
export function sameLetters(a: string, b: string): boolean {
  return toAscii(a) === toAscii(b);
}

/** The bare vowel of a char (for grouping confusions by vowel). */
export function bareOf(char: string): string {
  return untoneChar(char)[0];
}
