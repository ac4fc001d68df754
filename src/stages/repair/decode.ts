/**
 * Viterbi decoding of one run of syllable slots under a bigram language
 * model, with max-marginals: for every slot and every candidate, the cost of
 * the best whole reading that uses it. The margin between the best and the
 * second-best candidate of a slot is what its confidence is made of.
 */
import type { LanguageModel } from './language-model.js';

/** One way to read a slot. */
export interface Option {
  /** Language-model id of the reading. */
  readonly id: number;
  /** Cost of the slot reading this way, besides the language model (channel, penalties), nats. */
  readonly cost: number;
}

/** The decoded reading of one slot. */
export interface SlotResult {
  /** Index into the slot's options of the best reading. */
  readonly best: number;
  /** Max-marginal cost of every option (same order as the options). */
  readonly scores: Float64Array;
}

/**
 * Decode a sequence of slots between `<s>` and `</s>`.
 *
 * @param slots Options of each slot (at least one each).
 * @param lm Language model.
 * @param lmWeight Weight of the language model against the channel.
 */
export function decode(slots: ReadonlyArray<readonly Option[]>, lm: LanguageModel, lmWeight: number, start: number, end: number): SlotResult[] {
  const n = slots.length;
  if (n === 0) return [];
  const forward: Float64Array[] = [];
  const back: Int32Array[] = [];
  for (let t = 0; t < n; t += 1) {
    const options = slots[t];
    const row = new Float64Array(options.length);
    const from = new Int32Array(options.length);
    for (let k = 0; k < options.length; k += 1) {
      const option = options[k];
      if (t === 0) {
        row[k] = lmWeight * lm.cost(start, option.id) + option.cost;
        from[k] = -1;
        continue;
      }
      const previous = slots[t - 1];
      const prevRow = forward[t - 1];
      let best = Infinity;
      let arg = 0;
      for (let j = 0; j < previous.length; j += 1) {
        const score = prevRow[j] + lmWeight * lm.cost(previous[j].id, option.id);
        if (score < best) {
          best = score;
          arg = j;
        }
      }
      row[k] = best + option.cost;
      from[k] = arg;
    }
    forward.push(row);
    back.push(from);
  }
  // Backward pass: best cost of finishing the sequence from each option (excluding its own cost).
  const backward: Float64Array[] = new Array(n);
  backward[n - 1] = Float64Array.from(slots[n - 1], (option) => lmWeight * lm.cost(option.id, end));
  for (let t = n - 2; t >= 0; t -= 1) {
    const options = slots[t];
    const next = slots[t + 1];
    const nextRow = backward[t + 1];
    const row = new Float64Array(options.length);
    for (let k = 0; k < options.length; k += 1) {
      let best = Infinity;
      for (let m = 0; m < next.length; m += 1) {
        const score = lmWeight * lm.cost(options[k].id, next[m].id) + next[m].cost + nextRow[m];
        if (score < best) best = score;
      }
      row[k] = best;
    }
    backward[t] = row;
  }
  // Follow back pointers from the best final option so that the chosen readings form one path.
  const lastRow = forward[n - 1];
  let arg = 0;
  for (let k = 1; k < lastRow.length; k += 1) {
    if (lastRow[k] + backward[n - 1][k] < lastRow[arg] + backward[n - 1][arg]) arg = k;
  }
  const chosen = new Int32Array(n);
  for (let t = n - 1; t >= 0; t -= 1) {
    chosen[t] = arg;
    arg = back[t][arg];
  }
  const results: SlotResult[] = [];
  for (let t = 0; t < n; t += 1) {
    const scores = new Float64Array(slots[t].length);
    for (let k = 0; k < scores.length; k += 1) scores[k] = forward[t][k] + backward[t][k];
    results.push({ best: chosen[t], scores });
  }
  return results;
}
