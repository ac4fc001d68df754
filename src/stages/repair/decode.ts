/**
 * Viterbi decoding of one run of syllable slots under a bigram language
 * model, with max-marginals: for every slot and every option, the cost of
 * the best whole reading that uses it. The margin between the best and the
 * second-best option of a slot is what its confidence is made of.
 *
 * Options of all slots are passed flat (slot t owns options
 * `offsets[t] .. offsets[t + 1]`) and scratch arrays are reused between
 * calls: decoding runs once per sentence, and small typed arrays per slot
 * made the garbage collector the slowest part of repair.
 */
import type { LanguageModel } from './language-model.js';

/** The options of a run of slots, flat. */
export interface Lattice {
  /** Language-model id of each option. */
  readonly ids: ArrayLike<number>;
  /** Cost of each option besides the language model (channel, penalties), nats. */
  readonly costs: ArrayLike<number>;
  /** Slot t owns options offsets[t] .. offsets[t + 1] - 1; length = slots + 1. */
  readonly offsets: ArrayLike<number>;
}

/** A decoder with its own scratch space (not safe to share between concurrent callers; JS is single-threaded). */
export interface Decoder {
  /**
   * Decode a lattice between `<s>` (id `start`) and `</s>` (id `end`).
   * Returns, per slot, the chosen option (absolute index), and fills `scores`
   * (absolute index → max-marginal cost), valid until the next call.
   */
  decode(lattice: Lattice, start: number, end: number): { chosen: Int32Array; scores: Float64Array };
}

/**
 * Create a decoder for a language model. With a trigram model the decode has
 * two passes: the bigram pass above prunes each slot to the options within
 * `prune` nats of its best reading, then a second-order Viterbi over pairs of
 * options reads the pruned lattice with the trigram costs.
 */
export function createDecoder(lm: LanguageModel, lmWeight: number, prune = TRIGRAM_PRUNE): Decoder {
  const bigram = createBigramDecoder(lm, lmWeight);
  if (!lm.hasTrigrams) return bigram;
  let keep = new Int32Array(256);
  let keepStart = new Int32Array(64);
  let pairStart = new Int32Array(64);
  let alpha = new Float64Array(1024);
  let beta = new Float64Array(1024);
  let from = new Int32Array(1024);
  return {
    decode(lattice, start, end) {
      const first = bigram.decode(lattice, start, end);
      const { ids, costs, offsets } = lattice;
      const scores = first.scores;
      const n = offsets.length - 1;
      if (n === 0) return first;
      if (keepStart.length < n + 2) {
        keepStart = new Int32Array(2 * n + 2);
        pairStart = new Int32Array(2 * n + 2);
      }
      // Kept options per slot (absolute indexes), flat; slot t owns keep[keepStart[t] .. keepStart[t + 1]).
      let kept = 0;
      for (let t = 0; t < n; t += 1) {
        keepStart[t] = kept;
        let best = Infinity;
        for (let k = offsets[t]; k < offsets[t + 1]; k += 1) if (scores[k] < best) best = scores[k];
        for (let k = offsets[t]; k < offsets[t + 1]; k += 1) {
          if (scores[k] > best + prune) continue;
          if (kept >= keep.length) {
            const bigger = new Int32Array(keep.length * 2);
            bigger.set(keep);
            keep = bigger;
          }
          keep[kept++] = k;
        }
      }
      keepStart[n] = kept;
      // Pair states at slot t: (option of slot t - 1, or `<s>` at t = 0) × (option of slot t).
      let pairs = 0;
      for (let t = 0; t < n; t += 1) {
        pairStart[t] = pairs;
        const left = t === 0 ? 1 : keepStart[t] - keepStart[t - 1];
        pairs += left * (keepStart[t + 1] - keepStart[t]);
      }
      pairStart[n] = pairs;
      if (pairs > alpha.length) {
        const size = Math.max(pairs, alpha.length * 2);
        alpha = new Float64Array(size);
        beta = new Float64Array(size);
        from = new Int32Array(size);
      }
      const idOf = (t: number, index: number): number => (t < 0 ? start : ids[keep[keepStart[t] + index]]);
      const width = (t: number): number => (t < 0 ? 1 : keepStart[t + 1] - keepStart[t]);
      // Forward.
      for (let k = 0; k < width(0); k += 1) {
        const option = keep[keepStart[0] + k];
        alpha[pairStart[0] + k] = lmWeight * lm.cost(start, ids[option]) + costs[option];
        from[pairStart[0] + k] = -1;
      }
      for (let t = 1; t < n; t += 1) {
        const wi = width(t - 2);
        const wj = width(t - 1);
        const wk = width(t);
        for (let j = 0; j < wj; j += 1) {
          const idJ = idOf(t - 1, j);
          for (let k = 0; k < wk; k += 1) {
            const option = keep[keepStart[t] + k];
            const idK = ids[option];
            let best = Infinity;
            let arg = 0;
            for (let i = 0; i < wi; i += 1) {
              const score = alpha[pairStart[t - 1] + i * wj + j] + lmWeight * lm.cost3(idOf(t - 2, i), idJ, idK);
              if (score < best) {
                best = score;
                arg = i;
              }
            }
            alpha[pairStart[t] + j * wk + k] = best + costs[option];
            from[pairStart[t] + j * wk + k] = arg;
          }
        }
      }
      // Backward: best cost of finishing the run after each pair (its own cost excluded).
      {
        const wj = width(n - 2);
        const wk = width(n - 1);
        for (let j = 0; j < wj; j += 1) {
          for (let k = 0; k < wk; k += 1) beta[pairStart[n - 1] + j * wk + k] = lmWeight * lm.cost3(idOf(n - 2, j), idOf(n - 1, k), end);
        }
      }
      for (let t = n - 2; t >= 0; t -= 1) {
        const wj = width(t - 1);
        const wk = width(t);
        const wm = width(t + 1);
        for (let j = 0; j < wj; j += 1) {
          const idJ = idOf(t - 1, j);
          for (let k = 0; k < wk; k += 1) {
            const idK = idOf(t, k);
            let best = Infinity;
            for (let m = 0; m < wm; m += 1) {
              const option = keep[keepStart[t + 1] + m];
              const score = lmWeight * lm.cost3(idJ, idK, ids[option]) + costs[option] + beta[pairStart[t + 1] + k * wm + m];
              if (score < best) best = score;
            }
            beta[pairStart[t] + j * wk + k] = best;
          }
        }
      }
      // Max-marginals of kept options; pruned ones stay as far behind as the bigram pass put them.
      const chosen = new Int32Array(n);
      let bestFinal = Infinity;
      let bestPair = 0;
      for (let t = 0; t < n; t += 1) {
        const wj = width(t - 1);
        const wk = width(t);
        let biBest = Infinity;
        for (let k = offsets[t]; k < offsets[t + 1]; k += 1) if (scores[k] < biBest) biBest = scores[k];
        let triBest = Infinity;
        for (let k = 0; k < wk; k += 1) {
          let best = Infinity;
          for (let j = 0; j < wj; j += 1) {
            const at = pairStart[t] + j * wk + k;
            const score = alpha[at] + beta[at];
            if (score < best) best = score;
            if (t === n - 1 && score < bestFinal) {
              bestFinal = score;
              bestPair = j * wk + k;
            }
          }
          trigramScore[k] = best;
          if (best < triBest) triBest = best;
        }
        // Options the prune dropped: behind the best by at least what the bigram pass measured.
        for (let k = offsets[t]; k < offsets[t + 1]; k += 1) scores[k] = scores[k] - biBest + triBest;
        for (let k = 0; k < wk; k += 1) scores[keep[keepStart[t] + k]] = trigramScore[k];
      }
      // Follow back pointers from the best final pair.
      let pair = bestPair;
      for (let t = n - 1; t >= 0; t -= 1) {
        const wk = width(t);
        const j = Math.floor(pair / wk);
        const k = pair % wk;
        chosen[t] = keep[keepStart[t] + k];
        if (t > 0) pair = from[pairStart[t] + pair] * width(t - 1) + j;
      }
      return { chosen, scores };
    },
  };
}

/** Options whose bigram reading is this many nats behind their slot's best are left out of the trigram pass. */
const TRIGRAM_PRUNE = 6;

/** Scratch for per-slot trigram max-marginals (slots never hold more options than this). */
const trigramScore = new Float64Array(4096);

function createBigramDecoder(lm: LanguageModel, lmWeight: number): Decoder {
  let forward = new Float64Array(256);
  let backward = new Float64Array(256);
  let back = new Int32Array(256);
  let scores = new Float64Array(256);

  return {
    decode(lattice, start, end) {
      const { ids, costs, offsets } = lattice;
      const n = offsets.length - 1;
      const total = offsets[n];
      if (total > forward.length) {
        const size = Math.max(total, forward.length * 2);
        forward = new Float64Array(size);
        backward = new Float64Array(size);
        back = new Int32Array(size);
        scores = new Float64Array(size);
      }
      const chosen = new Int32Array(n);
      if (n === 0) return { chosen, scores };
      for (let k = offsets[0]; k < offsets[1]; k += 1) {
        forward[k] = lmWeight * lm.cost(start, ids[k]) + costs[k];
        back[k] = -1;
      }
      for (let t = 1; t < n; t += 1) {
        const from = offsets[t - 1];
        const to = offsets[t];
        for (let k = offsets[t]; k < offsets[t + 1]; k += 1) {
          const id = ids[k];
          let best = Infinity;
          let arg = from;
          for (let j = from; j < to; j += 1) {
            const score = forward[j] + lmWeight * lm.cost(ids[j], id);
            if (score < best) {
              best = score;
              arg = j;
            }
          }
          forward[k] = best + costs[k];
          back[k] = arg;
        }
      }
      // Backward: best cost of finishing the run after each option (its own cost excluded).
      for (let k = offsets[n - 1]; k < offsets[n]; k += 1) backward[k] = lmWeight * lm.cost(ids[k], end);
      for (let t = n - 2; t >= 0; t -= 1) {
        const from = offsets[t + 1];
        const to = offsets[t + 2];
        for (let k = offsets[t]; k < offsets[t + 1]; k += 1) {
          const id = ids[k];
          let best = Infinity;
          for (let m = from; m < to; m += 1) {
            const score = lmWeight * lm.cost(id, ids[m]) + costs[m] + backward[m];
            if (score < best) best = score;
          }
          backward[k] = best;
        }
      }
      for (let k = 0; k < total; k += 1) scores[k] = forward[k] + backward[k];
      // Follow back pointers from the best final option so that the choices form one path.
      let arg = offsets[n - 1];
      for (let k = arg + 1; k < offsets[n]; k += 1) if (scores[k] < scores[arg]) arg = k;
      for (let t = n - 1; t >= 0; t -= 1) {
        chosen[t] = arg;
        arg = back[arg];
      }
      return { chosen, scores };
    },
  };
}
