/**
 * A syllable bigram language model with interpolated Kneser-Ney smoothing.
 *
 * Training (build time) counts syllable pairs in the corpus and the domain
 * terms; the model stores, for every seen pair, the full interpolated cost
 * (−log probability, nats), and for every left context its backoff cost, so
 * that scoring at run time is one map lookup. Syllables of the inventory the
 * corpus never saw keep a small floor probability: the corpus is never
 * complete, and a real but rare word must still be readable.
 */
import { canonicalSyllable } from './syllable-inventory.js';
import { tokenize } from './tokenize.js';

/** Special tokens: sentence start/end and classes of non-syllables. */
export const SPECIALS = ['<s>', '</s>', '<num>', '<code>', '<unk>'] as const;

/** The model as stored in the built artifact. */
export interface LanguageModelData {
  /** Vocabulary: specials first, then syllables seen in training. */
  readonly vocab: readonly string[];
  /** Unigram cost of each vocab entry (nats). */
  readonly unigram: readonly number[];
  /** Backoff cost of each vocab entry as a left context (nats). */
  readonly backoff: readonly number[];
  /** Seen pairs as a flat list: left id, right id, cost (nats). */
  readonly bigrams: readonly number[];
  /** Unigram cost of a valid syllable never seen in training. */
  readonly unseenCost: number;
  /**
   * Seen triples as a flat list: two left ids, right id, cost (nats), the
   * trigram interpolated with the bigram (absent in models built before trigrams).
   */
  readonly trigrams?: readonly number[];
  /** Backoff cost of each seen two-syllable context as a flat list: left, middle, cost (nats). */
  readonly contexts?: readonly number[];
}

/** Run-time view of the model. */
export interface LanguageModel {
  /** Id of a token (canonical lowercase syllable or special); unseen syllables get ids past the vocab. */
  id(token: string): number;
  /** Token for an id. */
  token(id: number): string;
  /** Cost of `right` after `left`, nats. */
  cost(left: number, right: number): number;
  /** Cost of `right` after `left2 left`, nats (the bigram cost when the pair was never seen as a context). */
  cost3(left2: number, left: number, right: number): number;
  /** True when the model has trigrams. */
  readonly hasTrigrams: boolean;
  /** Unigram cost of `id`, nats. */
  unigram(id: number): number;
}

/** Load a stored model. */
export function loadLanguageModel(data: LanguageModelData): LanguageModel {
  const ids = new Map<string, number>();
  const tokens = [...data.vocab];
  tokens.forEach((token, index) => ids.set(token, index));
  const unigram = [...data.unigram];
  const backoff = [...data.backoff];
  // Seen pairs keyed by left * vocab + right (one or two probes per lookup: the decoder asks millions of times).
  const vocabSize = tokens.length;
  const pairs = keySlots(data.bigrams.length / 3);
  const pairCosts = new Float32Array(pairs.capacity);
  for (let k = 0; k < data.bigrams.length; k += 3) {
    pairCosts[pairs.insert(data.bigrams[k] * vocabSize + data.bigrams[k + 1])] = data.bigrams[k + 2];
  }
  const bigramCost = (left: number, right: number): number => {
    if (left < vocabSize && right < vocabSize) {
      const at = pairs.find(left * vocabSize + right);
      if (at >= 0) return pairCosts[at];
    }
    return backoff[left] + unigram[right];
  };
  // Two-syllable contexts: (left2, left) → context number and backoff; triples keyed by context * vocab + right.
  const contextData = data.contexts ?? [];
  const trigramData = data.trigrams ?? [];
  const contextCount = contextData.length / 3;
  const contexts = keySlots(contextCount);
  const contextIndex = new Int32Array(contexts.capacity);
  const contextBackoff = new Float32Array(Math.max(1, contextCount));
  for (let k = 0, c = 0; k < contextData.length; k += 3, c += 1) {
    contextIndex[contexts.insert(contextData[k] * vocabSize + contextData[k + 1])] = c;
    contextBackoff[c] = contextData[k + 2];
  }
  const findContext = (left2: number, left: number): number => {
    const at = contexts.find(left2 * vocabSize + left);
    return at < 0 ? -1 : contextIndex[at];
  };
  const tripleCount = trigramData.length / 4;
  const triples = keySlots(tripleCount);
  const tripleCosts = new Float32Array(triples.capacity);
  for (let k = 0; k < trigramData.length; k += 4) {
    const context = findContext(trigramData[k], trigramData[k + 1]);
    tripleCosts[triples.insert(context * vocabSize + trigramData[k + 2])] = trigramData[k + 3];
  }
  const trigramCost = (left2: number, left: number, right: number): number => {
    if (left2 >= vocabSize || left >= vocabSize || tripleCount === 0) return bigramCost(left, right);
    const context = findContext(left2, left);
    if (context < 0) return bigramCost(left, right);
    if (right < vocabSize) {
      const at = triples.find(context * vocabSize + right);
      if (at >= 0) return tripleCosts[at];
    }
    return contextBackoff[context] + bigramCost(left, right);
  };
  const unk = ids.get('<unk>')!;
  return {
    cost3: trigramCost,
    hasTrigrams: tripleCount > 0,
    id(token) {
      let id = ids.get(token);
      if (id === undefined) {
        if (canonicalSyllable(token) !== token) return unk;
        id = tokens.length;
        tokens.push(token);
        ids.set(token, id);
        unigram.push(data.unseenCost);
        backoff.push(0);
      }
      return id;
    },
    token: (id) => tokens[id],
    cost: bigramCost,
    unigram: (id) => unigram[id],
  };
}

/**
 * Slots of an open-addressing hash table of non-negative integer keys, sized for `count` keys at
 * a load under 0.4; callers keep their values in arrays indexed by the slot. The bigram, context
 * and trigram tables all use it.
 */
function keySlots(count: number): { capacity: number; insert(key: number): number; find(key: number): number } {
  let capacity = 1;
  while (capacity < count * 2.5) capacity <<= 1;
  const mask = capacity - 1;
  const keys = new Int32Array(capacity).fill(-1);
  return {
    capacity,
    insert(key) {
      let at = Math.imul(key, 0x9e3779b1) >>> 0 & mask;
      while (keys[at] !== -1) at = (at + 1) & mask;
      keys[at] = key;
      return at;
    },
    find(key) {
      let at = Math.imul(key, 0x9e3779b1) >>> 0 & mask;
      for (;;) {
        const found = keys[at];
        if (found === key) return at;
        if (found === -1) return -1;
        at = (at + 1) & mask;
      }
    },
  };
}

/** Turn one line of clean text into LM tokens (sentence breaks become `</s> <s>`). */
export function lmTokens(line: string): string[][] {
  const sentences: string[][] = [];
  let current: string[] = [];
  for (const token of tokenize(line.normalize('NFC'))) {
    if ((token.sentenceStart || token.lm === '<sep>') && current.length > 0) {
      sentences.push(current);
      current = [];
    }
    if (token.lm === '<sep>') continue;
    if (token.kind === 'fixed') current.push(token.lm ?? '<unk>');
    else current.push(canonicalSyllable(token.text.toLowerCase()) ?? '<unk>');
  }
  if (current.length > 0) sentences.push(current);
  return sentences;
}

/** One training source: text and how many times to count it. */
export interface TrainingText {
  readonly text: string;
  /** Count weight (default: `1`); terms get more so they act as a dictionary. */
  readonly weight?: number;
}

/**
 * Train an interpolated Kneser-Ney bigram model.
 *
 * @param texts Clean Vietnamese texts, one sentence or paragraph a line.
 * @param options `discount` (default: `0.75`), `unseenMass` (probability kept for unseen syllables, default: `0.02`),
 *   `inventorySize` (number of syllables that share it).
 */
export function trainLanguageModel(
  texts: readonly TrainingText[],
  options: { discount?: number; unseenMass?: number; inventorySize: number; trigramDiscount?: number; minTrigramCount?: number },
): LanguageModelData {
  const discount = options.discount ?? 0.75;
  const unseenMass = options.unseenMass ?? 0.02;
  const pairCounts = new Map<string, number>();
  const tripleCounts = new Map<string, number>();
  for (const { text, weight = 1 } of texts) {
    for (const line of text.split(/\r?\n/u)) {
      for (const sentence of lmTokens(line)) {
        const words = ['<s>', ...sentence, '</s>'];
        for (let k = 1; k < words.length; k += 1) {
          const key = words[k - 1] + '\u0001' + words[k];
          pairCounts.set(key, (pairCounts.get(key) ?? 0) + weight);
          if (k >= 2) {
            const triple = words[k - 2] + '\u0001' + key;
            tripleCounts.set(triple, (tripleCounts.get(triple) ?? 0) + weight);
          }
        }
      }
    }
  }
  const vocab: string[] = [...SPECIALS];
  const index = new Map<string, number>(vocab.map((t, i) => [t, i]));
  const idOf = (token: string): number => {
    let id = index.get(token);
    if (id === undefined) {
      id = vocab.length;
      vocab.push(token);
      index.set(token, id);
    }
    return id;
  };
  const leftCount = new Map<number, number>();
  const leftTypes = new Map<number, number>();
  const rightTypes = new Map<number, number>();
  const pairs: Array<[number, number, number]> = [];
  for (const [key, count] of pairCounts) {
    const [left, right] = key.split('\u0001').map(idOf);
    pairs.push([left, right, count]);
    leftCount.set(left, (leftCount.get(left) ?? 0) + count);
    leftTypes.set(left, (leftTypes.get(left) ?? 0) + 1);
    rightTypes.set(right, (rightTypes.get(right) ?? 0) + 1);
  }
  const totalTypes = pairs.length;
  const unigramP = vocab.map((_, id) => (1 - unseenMass) * ((rightTypes.get(id) ?? 0.5) / totalTypes));
  const unseenP = unseenMass / Math.max(1, options.inventorySize);
  const round = (value: number): number => Math.round(value * 1000) / 1000;
  const backoffP = vocab.map((_, id) => {
    const count = leftCount.get(id);
    return count === undefined ? 1 : (discount * leftTypes.get(id)!) / count;
  });
  const bigrams: number[] = [];
  for (const [left, right, count] of pairs) {
    const p = Math.max(count - discount, 0) / leftCount.get(left)! + backoffP[left] * unigramP[right];
    bigrams.push(left, right, round(-Math.log(p)));
  }
  // Trigrams, interpolated with the bigram model above (absolute discounting).
  const bigramP = new Map<string, number>();
  for (let k = 0; k < bigrams.length; k += 3) bigramP.set(bigrams[k] + ',' + bigrams[k + 1], Math.exp(-bigrams[k + 2]));
  const pBigram = (left: number, right: number): number => bigramP.get(left + ',' + right) ?? backoffP[left] * unigramP[right];
  const trigramDiscount = options.trigramDiscount ?? discount;
  const minTrigramCount = options.minTrigramCount ?? 1;
  const contextTotal = new Map<string, { count: number; types: number; ids: [number, number] }>();
  const triples: Array<[number, number, number, number]> = [];
  for (const [key, count] of tripleCounts) {
    const [a, b, c] = key.split('\u0001').map(idOf);
    const contextKey = a + ',' + b;
    let context = contextTotal.get(contextKey);
    if (!context) contextTotal.set(contextKey, (context = { count: 0, types: 0, ids: [a, b] }));
    context.count += count;
    context.types += 1;
    triples.push([a, b, c, count]);
  }
  const trigrams: number[] = [];
  for (const [a, b, c, count] of triples) {
    if (count < minTrigramCount) continue;
    const context = contextTotal.get(a + ',' + b)!;
    const gamma = (trigramDiscount * context.types) / context.count;
    const p = Math.max(count - trigramDiscount, 0) / context.count + gamma * pBigram(b, c);
    const cost = round(-Math.log(p));
    // A triple that says no more than its bigram with the context's backoff is left out.
    if (Math.abs(cost - round(-Math.log(gamma) - Math.log(pBigram(b, c)))) < 0.05) continue;
    trigrams.push(a, b, c, cost);
  }
  // Only contexts with a stored triple are kept: elsewhere the bigram alone is as good and the model stays small.
  const used = new Set<string>();
  for (let k = 0; k < trigrams.length; k += 4) used.add(trigrams[k] + ',' + trigrams[k + 1]);
  const contexts: number[] = [];
  for (const [key, { count, types, ids: [a, b] }] of contextTotal) {
    if (used.has(key)) contexts.push(a, b, round(-Math.log((trigramDiscount * types) / count)));
  }
  return {
    trigrams,
    contexts,
    vocab,
    unigram: unigramP.map((p) => round(-Math.log(p))),
    backoff: backoffP.map((p) => round(-Math.log(p))),
    bigrams,
    unseenCost: round(-Math.log(unseenP)),
  };
}
