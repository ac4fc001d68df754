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
import { isVowel, syllableInventory, toAscii } from './syllable-inventory.js';

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
  /**
   * Whole-token confusions seen often in the ground truth (noisy token, first
   * letter lowercase → clean syllable → cost, nats): what the engine prints for
   * a whole short word, where the letter-by-letter costs are too blunt
   * (`vd` is `và` far more often than `về`). Absent in older models.
   */
  readonly words?: Readonly<Record<string, Readonly<Record<string, number>>>>;
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
  // A dense child table (26 letters per node) while building; flat child lists for the search.
  let table = new Int32Array(26 * 4096).fill(-1);
  let nodes = 1;
  const terminalList: number[] = [-1];
  bases.forEach((base, index) => {
    let node = 0;
    for (let i = 0; i < base.length; i += 1) {
      const code = base.charCodeAt(i) - 97;
      let next = table[node * 26 + code];
      if (next < 0) {
        next = nodes;
        nodes += 1;
        if (nodes * 26 > table.length) {
          const bigger = new Int32Array(table.length * 2).fill(-1);
          bigger.set(table);
          table = bigger;
        }
        terminalList.push(-1);
        table[node * 26 + code] = next;
      }
      node = next;
    }
    terminalList[node] = index;
  });
  const first = new Int32Array(nodes + 1);
  let total = 0;
  for (let node = 0; node < nodes; node += 1) {
    first[node] = total;
    for (let c = 0; c < 26; c += 1) if (table[node * 26 + c] >= 0) total += 1;
  }
  first[nodes] = total;
  const childChar = new Int32Array(total);
  const childNode = new Int32Array(total);
  let at = 0;
  for (let node = 0; node < nodes; node += 1) {
    for (let c = 0; c < 26; c += 1) {
      const next = table[node * 26 + c];
      if (next >= 0) {
        childChar[at] = c;
        childNode[at] = next;
        at += 1;
      }
    }
  }
  return { first, childChar, childNode, terminal: Int32Array.from(terminalList) };
}

/** Options of the candidate search. */
export interface SearchLimits {
  /** Most candidates returned (default: `16`). */
  readonly limit?: number;
  /** Costliest candidate kept, nats (default: `16`). */
  readonly maxCost?: number;
  /** Keep candidates within this many nats of the best (default: `7`; of the best rank when `prior` is given). */
  readonly window?: number;
  /**
   * Cost of each syllable before any evidence (index: position in the
   * inventory's `syllables`), e.g. its unigram cost: candidates are then
   * ranked and cut by channel + prior, so a frequent word with a slightly
   * worse channel score is not cut in favour of many rare ones.
   */
  readonly prior?: Float64Array;
}

/** The channel: scores and candidate search. */
export interface Channel {
  /** Best syllables for a noisy token (any case), cheapest first. */
  candidates(noisy: string, limits?: SearchLimits): ChannelCandidate[];
  /**
   * Only the syllables spelled with the same letters as `noisy` (other marks),
   * scored letter by letter: no search. For clean text, where a word that is
   * already a syllable is at most re-marked, this is all that can win.
   */
  remarkings(noisy: string, limits?: SearchLimits): ChannelCandidate[];
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

// Search limits, in nats unless said otherwise, chosen by cross-validation on the train split
// against speed (scripts/bench-repair.mjs): more states per position found better readings once
// multi-character confusions were learned (24 -> 40: CV style A +0.2 pt); the other limits, wider,
// found none.
/** Most search states kept per position of the noisy token (a count). */
const MAX_STATES = 40;
/** States costlier than the position's best by more than this are dropped. */
const BEAM = 6;
/** A single char step costlier than this is not taken. */
const STEP_LIMIT = 6;
/** Only states this close to the position's best may insert a dropped letter. */
const INS_BEAM = 2;
/** Default width of the candidate window above the best candidate. */
const WINDOW = 7;
/** Bases whose letters alone cost this much more than the best variant found are not expanded. */
const FINAL_WINDOW = 5;
/** Share of the whole-token confusions in a token's channel probability, where they have evidence. */
const WORD_WEIGHT = 0.5;
/** Extra cost per char when a learned multi-character confusion produced the same letters with other marks. */
const REMARK_COST = 2;

/** What every channel shares: the trie of the inventory and its variant tables (built once per process). */
interface SearchIndex {
  readonly syllables: readonly string[];
  readonly baseVariants: ReadonlyArray<readonly string[]>;
  readonly trie: Trie;
  readonly cleanChars: readonly string[];
  readonly cleanIndex: ReadonlyMap<string, number>;
  readonly family: ReadonlyArray<readonly string[]>;
  /**
   * Chars of every variant as indexes into `cleanChars`, flat: the variants
   * of base b (all as long as the base) start at `variantStart[b]`, one after
   * the other. Flat arrays, because thousands of tiny typed arrays made
   * loading slow (allocation and garbage collection).
   */
  readonly variantChars: Int32Array;
  readonly variantStart: Int32Array;
  /** Inventory index of each variant, flat: base b's start at `idStart[b]`. */
  readonly variantIds: Int32Array;
  readonly idStart: Int32Array;
  /** Inventory index of each syllable. */
  readonly syllableIds: ReadonlyMap<string, number>;
  /** Index into `baseVariants` of each base (letters without marks). */
  readonly baseIndexOf: ReadonlyMap<string, number>;
}

let sharedIndex: SearchIndex | undefined;

function searchIndex(): SearchIndex {
  if (sharedIndex) return sharedIndex;
  const syllables = syllableInventory().syllables;
  // Group syllables (by inventory index) under their letters without marks.
  const groupOf = new Map<string, number[]>();
  for (let id = 0; id < syllables.length; id += 1) {
    const base = toAscii(syllables[id]);
    const list = groupOf.get(base);
    if (list) list.push(id);
    else groupOf.set(base, [id]);
  }
  const bases = [...groupOf.keys()];
  const groups = bases.map((base) => groupOf.get(base)!);
  const baseVariants = groups.map((ids) => ids.map((id) => syllables[id]));
  const trie = buildTrie(bases);
  // Clean chars and a direct table from char code to their index (all in the BMP, below U+1F00).
  const codeIndex = new Int16Array(0x1f00).fill(-1);
  const cleanChars: string[] = [];
  for (const syllable of syllables) {
    for (let i = 0; i < syllable.length; i += 1) {
      const code = syllable.charCodeAt(i);
      if (codeIndex[code] < 0) {
        codeIndex[code] = cleanChars.length;
        cleanChars.push(syllable[i]);
      }
    }
  }
  const family = LETTERS.split('').map((letter) => cleanChars.filter((c) => toAscii(c) === letter));
  const cleanIndex = new Map(cleanChars.map((c, i) => [c, i]));
  let charTotal = 0;
  for (const list of baseVariants) charTotal += list.length * list[0].length;
  const variantChars = new Int32Array(charTotal);
  const variantStart = new Int32Array(baseVariants.length);
  const variantIds = new Int32Array(syllables.length);
  const idStart = new Int32Array(baseVariants.length);
  let charAt = 0;
  let idAt = 0;
  groups.forEach((ids, base) => {
    variantStart[base] = charAt;
    idStart[base] = idAt;
    for (const id of ids) {
      // Syllables are NFC and in the BMP: one UTF-16 unit per letter.
      const variant = syllables[id];
      for (let i = 0; i < variant.length; i += 1) variantChars[charAt++] = codeIndex[variant.charCodeAt(i)];
      variantIds[idAt++] = id;
    }
  });
  const syllableIds = new Map(syllables.map((syllable, id) => [syllable, id]));
  const baseIndexOf = new Map(bases.map((base, index) => [base, index]));
  sharedIndex = { syllables, baseVariants, trie, cleanChars, cleanIndex, family, variantChars, variantStart, variantIds, idStart, syllableIds, baseIndexOf };
  return sharedIndex;
}

const priorRows = new Map<string, Float64Array>();

/** Prior cost of each clean char being read as `x` (shared by all channels; computed once per char). */
function priorRow(x: string): Float64Array {
  let row = priorRows.get(x);
  if (!row) {
    row = Float64Array.from(searchIndex().cleanChars, (y) => priorSub(x, y));
    priorRows.set(x, row);
  }
  return row;
}

/** Build a channel over the syllable inventory from learned weights (or priors only). */
export function createChannel(weights?: ChannelWeights | null): Channel {
  const { syllables, baseVariants, trie, cleanChars, cleanIndex, family, variantChars, variantStart, variantIds, idStart, syllableIds, baseIndexOf } = searchIndex();
  const learned = weights ?? { sub: {}, del: {}, ins: {}, multi: {} };
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

  const exactArrays = new Map<string, Float64Array>();
  const letterRows = new Map<string, Float64Array>();
  const delCosts = new Map<string, number>();

  /** Learned costs where the data has them (never much above the prior), the prior elsewhere. */
  function ownRow(x: string): Float64Array {
    const row = Float64Array.from(priorRow(x));
    const learnedRow = learned.sub[x];
    if (learnedRow) {
      for (const [y, cost] of Object.entries(learnedRow)) {
        const index = cleanIndex.get(y);
        if (index !== undefined) row[index] = Math.min(cost, row[index] + 1.5);
      }
    }
    return row;
  }

  /** Cost of each clean char (index into `cleanChars`) being read as `x`. */
  function exactArray(x: string): Float64Array {
    let row = exactArrays.get(x);
    if (row) return row;
    row = ownRow(x);
    const lower = x.toLowerCase();
    if (lower !== x) {
      // A capital can always stand for its own lowercase letter (headings).
      const lowerRow = ownRow(lower);
      for (let i = 0; i < row.length; i += 1) row[i] = Math.min(row[i], lowerRow[i] + 0.2);
    }
    exactArrays.set(x, row);
    return row;
  }

  function letterRow(x: string): Float64Array {
    let costs = letterRows.get(x);
    if (costs) return costs;
    const exact = exactArray(x);
    costs = new Float64Array(LETTERS.length).fill(Infinity);
    family.forEach((chars, letter) => {
      for (const y of chars) costs![letter] = Math.min(costs![letter], exact[cleanIndex.get(y)!]);
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

  const stepCache = new Map<string, number>();
  /** Cost of a multi-character step for one marked clean segment; an unseen marking of known letters costs extra per char. */
  function multiCost(noisy: string, clean: string): number {
    const exact = multi[noisy]?.[clean];
    if (exact !== undefined) return exact;
    const letters = toAscii(clean);
    let best = Infinity;
    for (const [other, cost] of Object.entries(multi[noisy] ?? {})) {
      if (other.length !== clean.length || toAscii(other) !== letters) continue;
      let differ = 0;
      for (let k = 0; k < clean.length; k += 1) if (other[k] !== clean[k]) differ += 1;
      best = Math.min(best, cost + REMARK_COST * differ);
    }
    return best;
  }

  /** Exact cost of one step of a path against the marked clean chars it produced. */
  function stepCost(noisy: string, clean: string): number {
    if (noisy === '') return insExact.get(clean) ?? Infinity;
    if (clean === '') return delCost(noisy);
    if (noisy.length === 1 && clean.length === 1) return exactArray(noisy)[cleanIndex.get(clean) ?? -1] ?? Infinity;
    const key = noisy + '\u0001' + clean;
    let cost = stepCache.get(key);
    if (cost === undefined) {
      cost = multiCost(noisy, clean);
      const lower = noisy.toLowerCase();
      if (lower !== noisy) cost = Math.min(cost, multiCost(lower, clean) + 0.2);
      stepCache.set(key, cost);
    }
    return cost;
  }

  const insArray = Float64Array.from(cleanChars, (c) => insExact.get(c)!);
  const wordTable = new Map<string, Array<[number, number]>>();
  for (const [noisy, map] of Object.entries(learned.words ?? {})) {
    const list: Array<[number, number]> = [];
    for (const [clean, cost] of Object.entries(map)) {
      const id = syllableIds.get(clean);
      if (id !== undefined) list.push([id, cost]);
    }
    if (list.length > 0) wordTable.set(noisy, list);
  }
  const variantStamp = new Int32Array(syllables.length);
  const variantCost = new Float64Array(syllables.length);
  let variantGeneration = 0;

  // Scratch space reused by every search: which state a trie node has at a position.
  let stamp = new Int32Array(trie.first.length);
  let slot = new Int32Array(trie.first.length);
  let generation = 0;

  function candidates(noisy: string, limits: SearchLimits = {}): ChannelCandidate[] {
    const limit = limits.limit ?? 16;
    const maxCost = limits.maxCost ?? 16;
    const window = limits.window ?? WINDOW;
    const xs = [...noisy];
    const n = xs.length;
    if (generation > 2_000_000_000 - 2 * (n + 1)) {
      stamp = new Int32Array(trie.first.length);
      slot = new Int32Array(trie.first.length);
      generation = 0;
    }
    const base = generation + 1;
    generation += n + 1;
    const frontier: State[][] = Array.from({ length: n + 1 }, () => []);
    // Cheapest cost reached so far at each position: a state past it by more than BEAM would be
    // dropped when its position is expanded anyway, so it is never made (fewer objects; same readings up to ties).
    const floor = new Float64Array(n + 1).fill(Infinity);
    const relax = (i: number, node: number, cost: number, parent: State | null, consumed: string, produced: number): void => {
      if (cost > maxCost || cost > floor[i] + BEAM) return;
      if (cost < floor[i] && consumed !== '') floor[i] = cost; // not insertions: the prune uses the best before them
      const list = frontier[i];
      if (stamp[node] === base + i) {
        const old = list[slot[node]];
        if (cost < old.cost) list[slot[node]] = { node, cost, parent, noisy: consumed, produced };
        return;
      }
      stamp[node] = base + i;
      slot[node] = list.length;
      list.push({ node, cost, parent, noisy: consumed, produced });
    };
    const multiAt = xs.map((_, i) => {
      const found: Array<{ segment: string; length: number; codes: number[]; cost: number }> = [];
      let segment = '';
      for (let len = 1; len <= maxMulti && i + len <= n; len += 1) {
        segment += xs[i + len - 1];
        const multiList = multiLetters.get(segment) ?? multiLetters.get(segment.toLowerCase());
        if (!multiList) continue;
        // One char for one letter is the plain substitution.
        for (const { codes, cost } of multiList) if (len > 1 || codes.length > 1) found.push({ segment, length: len, codes, cost });
      }
      return found;
    });
    relax(0, 0, 0, null, '', 0);
    let finals: State[] = [];
    for (let i = 0; i <= n; i += 1) {
      const list = frontier[i];
      if (list.length === 0) continue;
      let best = Infinity;
      for (const state of list) if (state.cost < best) best = state.cost;
      // One insertion (a letter the OCR dropped) from the cheaper states.
      const count = list.length;
      for (let s = 0; s < count; s += 1) {
        const state = list[s];
        if (state.cost > best + INS_BEAM) continue;
        for (let k = trie.first[state.node]; k < trie.first[state.node + 1]; k += 1) {
          relax(i, trie.childNode[k], state.cost + insLetter[trie.childChar[k]], state, '', 1);
        }
      }
      let states = list.filter((state) => state.cost <= best + BEAM);
      if (states.length > MAX_STATES) {
        states.sort((a, b) => a.cost - b.cost);
        states = states.slice(0, MAX_STATES);
      }
      if (i === n) {
        finals = states;
        break;
      }
      const x = xs[i];
      const costs = letterRow(x);
      const del = delCost(x);
      // The multi-character pieces starting here depend on the position only: looked up once for all states.
      const pieces = multiAt[i];
      for (const state of states) {
        for (let k = trie.first[state.node]; k < trie.first[state.node + 1]; k += 1) {
          const step = costs[trie.childChar[k]];
          if (step < STEP_LIMIT) relax(i + 1, trie.childNode[k], state.cost + step, state, x, 1);
        }
        relax(i + 1, state.node, state.cost + del, state, x, 0);
        for (const { segment, length, codes, cost: step } of pieces) {
          let at = state.node;
          for (const code of codes) {
            at = findChild(at, code);
            if (at < 0) break;
          }
          if (at >= 0) relax(i + length, at, state.cost + step, state, segment, codes.length);
        }
      }
    }
    let bestFound = Infinity;
    const touched: number[] = [];
    variantGeneration += 1;
    finals.sort((a, b) => a.cost - b.cost);
    for (const state of finals) {
      const baseIndex = trie.terminal[state.node];
      if (baseIndex < 0) continue;
      // Letters-only costs are a lower bound of every variant's cost: stop when past the window.
      if (state.cost > bestFound + FINAL_WINDOW) break;
      const steps: State[] = [];
      for (let at: State | null = state; at && at.parent; at = at.parent) steps.push(at);
      steps.reverse();
      // Resolve each step's cost table once for all variants of the base.
      const tables: Array<Float64Array | null> = steps.map((step) =>
        step.produced === 1 && step.noisy.length === 1 ? exactArray(step.noisy) : step.noisy === '' ? insArray : null,
      );
      const variants = baseVariants[baseIndex];
      const length = variants[0].length;
      for (let v = 0; v < variants.length; v += 1) {
        const charBase = variantStart[baseIndex] + v * length;
        let cost = 0;
        let position = 0;
        for (let k = 0; k < steps.length; k += 1) {
          const step = steps[k];
          const table = tables[k];
          if (table !== null) cost += table[variantChars[charBase + position]];
          else if (step.produced === 0) cost += delCost(step.noisy);
          else cost += stepCost(step.noisy, variants[v].slice(position, position + step.produced));
          position += step.produced;
          if (cost > maxCost) break;
        }
        if (cost > maxCost) continue;
        const id = variantIds[idStart[baseIndex] + v];
        if (variantStamp[id] !== variantGeneration) {
          variantStamp[id] = variantGeneration;
          variantCost[id] = cost;
          touched.push(id);
        } else if (cost < variantCost[id]) variantCost[id] = cost;
        if (cost < bestFound) bestFound = cost;
      }
    }
    // Whole-token evidence, mixed with the letter-by-letter reading.
    const seen = wordTable.get(noisy);
    if (seen) {
      // A token seen often enough: readings it was never seen as keep only their share of the letters' mass.
      const rest = -Math.log(1 - WORD_WEIGHT);
      for (const id of touched) variantCost[id] += rest;
      for (const [id, cost] of seen) {
        const letters = variantStamp[id] === variantGeneration ? variantCost[id] - rest : Infinity;
        const mixed = -Math.log(WORD_WEIGHT * Math.exp(-cost) + (1 - WORD_WEIGHT) * Math.exp(-letters));
        if (variantStamp[id] !== variantGeneration) {
          variantStamp[id] = variantGeneration;
          touched.push(id);
        }
        variantCost[id] = mixed;
      }
    }
    const prior = limits.prior;
    const result: Array<ChannelCandidate & { rank: number }> = [];
    let bestRank = Infinity;
    for (const id of touched) {
      const rank = variantCost[id] + (prior ? prior[id] : 0);
      if (rank < bestRank) bestRank = rank;
    }
    for (const id of touched) {
      const rank = variantCost[id] + (prior ? prior[id] : 0);
      if (rank <= bestRank + window) result.push({ syllable: syllables[id], cost: variantCost[id], rank });
    }
    result.sort((a, b) => a.rank - b.rank);
    if (result.length > limit) result.length = limit;
    return result;
  }


  function remarkings(noisy: string, limits: SearchLimits = {}): ChannelCandidate[] {
    const limit = limits.limit ?? 16;
    const window = limits.window ?? WINDOW;
    const prior = limits.prior;
    const baseIndex = baseIndexOf.get(toAscii(noisy.toLowerCase()));
    if (baseIndex === undefined || noisy.length !== baseVariants[baseIndex][0].length) return [];
    const tables = Array.from(noisy, (x) => exactArray(x));
    const variants = baseVariants[baseIndex];
    const length = variants[0].length;
    const result: Array<ChannelCandidate & { rank: number }> = [];
    for (let v = 0; v < variants.length; v += 1) {
      const charBase = variantStart[baseIndex] + v * length;
      let cost = 0;
      for (let k = 0; k < length; k += 1) cost += tables[k][variantChars[charBase + k]];
      const id = variantIds[idStart[baseIndex] + v];
      result.push({ syllable: variants[v], cost, rank: cost + (prior ? prior[id] : 0) });
    }
    let best = Infinity;
    for (const c of result) best = Math.min(best, c.rank);
    return result
      .filter((c) => c.rank <= best + window)
      .sort((a, b) => a.rank - b.rank)
      .slice(0, limit)
      .map(({ syllable, cost }) => ({ syllable, cost }));
  }

  return {
    candidates,
    remarkings,
    subCost: (noisy, clean) => exactArray(noisy)[cleanIndex.get(clean) ?? -1] ?? Infinity,
  };
}
