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

/** Create a decoder for a language model. */
export function createDecoder(lm: LanguageModel, lmWeight: number): Decoder {
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
