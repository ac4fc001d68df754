/**
 * The repair stage: restore correct Vietnamese from broken OCR text with a
 * noisy-channel model (see README of `dictionaries/`). Candidates come from
 * the complete syllable inventory, a learned OCR-confusion channel scores
 * them, a syllable bigram language model with domain terms reads them in
 * context, and a Viterbi decode picks the best reading of each sentence.
 *
 * Loading is synchronous: {@link createRepairer} reads the built model once
 * (about 100 ms) and the returned object repairs any number of texts.
 */
import type { Correction, Doc, Line } from '../../model/doc.js';
import type { Stage } from '../../model/stage.js';
import { applyCase, casePattern, type CasePattern } from './case.js';
import { createChannel, type Channel } from './channel.js';
import { repairCode, repairDate } from './codes.js';
import { createDecoder } from './decode.js';
import { loadLanguageModel, type LanguageModel } from './language-model.js';
import { DEFAULT_MODEL_PATH, readModelFile, type DecoderSettings } from './model-file.js';
import { canonicalSyllable, primeInventory, syllableInventory } from './syllable-inventory.js';
import { isUppercaseLine, tokenize, type Token } from './tokenize.js';

export type { DecoderSettings } from './model-file.js';

/** Options of {@link createRepairer} and {@link repair}. */
export interface RepairOptions {
  /** Path of a built model file (default: the package's `dictionaries/build/repair-model.json`). */
  readonly modelPath?: string;
  /** Corrections with a confidence below this are flagged `review: true` (default: `0.8`). */
  readonly reviewThreshold?: number;
  /**
   * How noisy the text is, 0–1: the chance that a token which already is a
   * valid syllable was misread (default: estimated from the text itself).
   */
  readonly noise?: number;
  /** Use the document-level cache in the stage (a second decoding pass; default: `true`). */
  readonly documentCache?: boolean;
  /**
   * Noise style of the input, when known: a channel name of the model (`style-a`: digits and
   * symbols for vowels; `style-b`: marks stripped or mangled; `pooled`). Default: picked per
   * document from its own words.
   */
  readonly style?: string;
  /** Override decoder settings stored in the model (for tuning and benchmarks; default: the model's). */
  readonly decoder?: Partial<DecoderSettings>;
}

/** One correction in a text: 1-based line and columns in the original (NFC) text. */
export interface TextCorrection {
  readonly line: number;
  readonly column: number;
  readonly endColumn: number;
  readonly actual: string;
  readonly expected: string;
  readonly confidence: number;
  readonly review: boolean;
  readonly ruleId: Correction['ruleId'];
  readonly alternatives: string[];
}

/** Result of repairing a text. */
export interface RepairResult {
  /** Repaired text, NFC, same number of lines. */
  readonly text: string;
  readonly corrections: TextCorrection[];
}

/** A loaded repairer. */
export interface Repairer {
  /** Repair one line (no line breaks expected; any are kept). */
  repairLine(text: string): RepairResult;
  /** Repair a text line by line; context flows across wrapped lines. */
  repairText(text: string): RepairResult;
  /** Stage that repairs every page of a Doc, with a document-level cache. */
  repair(): Stage;
  /** sha256 of the model file this repairer uses. */
  readonly fingerprint: string;
}

const emptyOptions: RepairOptions = {};

interface Candidate {
  /** Lowercase canonical syllable, or null: keep the token as written. */
  readonly syllable: string | null;
  readonly id: number;
  readonly channel: number;
}

/** What the engine knows about a token text, whatever its context (cached). */
interface TokenEntry {
  /** The token already is a syllable (any tone placement); candidates[0] is then that syllable. */
  readonly valid: boolean;
  /** Candidates kept for the decoder (identity first when valid; `keep` last when not valid). */
  readonly candidates: Candidate[];
  /** Lowest channel cost among real syllable candidates (for the rule id). */
  readonly bestChannel: number;
}

interface Slot {
  readonly line: number;
  readonly token: Token;
  readonly pattern: CasePattern;
  readonly entry: TokenEntry;
  /** Part of a token split in two (its edit joins the other part's). */
  readonly split: boolean;
}

interface Decision {
  readonly slot: Slot;
  readonly chosen: Candidate;
  readonly confidence: number;
  readonly alternatives: Candidate[];
}

let fingerprintCache: Map<string, string> | undefined;

/**
 * sha256 of the built repair model (for batch resume keys): changes whenever
 * the model is rebuilt from other sources.
 */
export function repairModelFingerprint(modelPath: string = DEFAULT_MODEL_PATH): string {
  fingerprintCache ??= new Map();
  let value = fingerprintCache.get(modelPath);
  if (value === undefined) {
    value = readModelFile(modelPath).sha256;
    fingerprintCache.set(modelPath, value);
  }
  return value;
}

/**
 * Load the repair model once and return a repairer.
 *
 * @throws {VnplanError} `INTERNAL` when the model file is missing (build it with `node scripts/build-repair-model.mjs`).
 */
export function createRepairer(options?: Readonly<RepairOptions> | null): Repairer {
  const settings = options ?? emptyOptions;
  const reviewThreshold = settings.reviewThreshold ?? 0.8;
  if (!(reviewThreshold >= 0 && reviewThreshold <= 1)) {
    throw new TypeError(`Expected number between 0 and 1 for \`reviewThreshold\` but received ${String(reviewThreshold)}`);
  }
  if (settings.noise !== undefined && !(settings.noise > 0 && settings.noise < 1)) {
    throw new TypeError(`Expected number between 0 and 1 (exclusive) for \`noise\` but received ${String(settings.noise)}`);
  }
  const modelPath = settings.modelPath ?? DEFAULT_MODEL_PATH;
  const { data, sha256 } = readModelFile(modelPath);
  primeInventory(
    data.inventory.syllables.split(' '),
    data.inventory.variants.split(' ').map((pair) => pair.split(':') as [string, string]),
  );
  const channels = new Map(Object.entries(data.channels).map(([name, weights]) => [name, createChannel(weights)]));
  if (settings.style !== undefined && !channels.has(settings.style)) {
    throw new TypeError(`Expected one of ${[...channels.keys()].map((n) => `\`${n}\``).join(', ')} for \`style\` but received \`${settings.style}\``);
  }
  const lm = loadLanguageModel(data.lm);
  const decoder: DecoderSettings = { ...data.settings, ...settings.decoder };
  const useCache = settings.documentCache ?? true;
  const engine = createEngine(channels, lm, decoder, reviewThreshold, settings.noise, new Set(data.acronyms), settings.style);

  return {
    fingerprint: sha256,
    repairLine: (text) => engine.repairLines([text]).result,
    repairText: (text) => engine.repairLines(text.split('\n')).result,
    repair: () => stage(engine, useCache),
  };
}

/** Split a text into lines, keeping `\r` out of the repair and putting it back. */
function cleanLines(lines: readonly string[]): { lines: string[]; cr: boolean[] } {
  const cr = lines.map((line) => line.endsWith('\r'));
  return { lines: lines.map((line, k) => (cr[k] ? line.slice(0, -1) : line).normalize('NFC')), cr };
}

interface EngineResult {
  readonly result: RepairResult;
  readonly decisions: Decision[];
  /** Repaired lines (without `\r`). */
  readonly lines: string[];
  /** Name of the channel (noise style) used. */
  readonly channel: string;
}

function createEngine(
  channels: ReadonlyMap<string, Channel>,
  lm: LanguageModel,
  decoder: DecoderSettings,
  reviewThreshold: number,
  fixedNoise: number | undefined,
  acronyms: ReadonlySet<string>,
  fixedStyle: string | undefined,
) {
  const start = lm.id('<s>');
  const end = lm.id('</s>');
  const unk = lm.id('<unk>');
  const viterbi = createDecoder(lm, decoder.lmWeight);
  // Entries per channel, apart for headings (where capitals are not a sign of an acronym) and for
  // the quick entries of clean text.
  const entriesByChannel = new Map<string, Map<string, TokenEntry>>(
    [...channels.keys()].flatMap((name) => ['', '^', '=', '^='].map((suffix) => [name + suffix, new Map<string, TokenEntry>()] as const)),
  );
  const inventory = syllableInventory().syllables;
  const prior = Float64Array.from(inventory, (syllable) => decoder.lmWeight * lm.unigram(lm.id(syllable)));

  /** Candidates of a token, pruned for the decoder, cached: documents repeat their words. */
  function entryOf(text: string, pattern: CasePattern, channelName: string, upperLine: boolean, clean = false): TokenEntry {
    const key = pattern === 'title' ? text.charAt(0).toLowerCase() + text.slice(1) : text;
    const identity = canonicalSyllable(text.toLowerCase());
    // In clean text a word that already is a syllable can at most be re-marked: no full search.
    const quick = clean && identity !== undefined;
    const entries = entriesByChannel.get(channelName + (upperLine ? '^' : '') + (quick ? '=' : ''))!;
    const channel = channels.get(channelName)!;
    let entry = entries.get(key);
    if (entry) return entry;
    // Keep the readings most likely before context: channel plus unigram cost.
    const limits = { limit: decoder.beam, prior, window: RANK_WINDOW };
    let list: Candidate[] = (quick ? channel.remarkings(key, limits) : channel.candidates(key, limits)).map((c) => ({
      syllable: c.syllable,
      id: lm.id(c.syllable),
      channel: c.cost,
    }));
    let bestChannel = Infinity;
    for (const c of list) bestChannel = Math.min(bestChannel, c.channel);
    // `tỉ lệ`/`tỷ lệ`, `kĩ`/`kỹ`: after a consonant, final i and y are two spellings of one
    // syllable. The token keeps its own spelling, read with the more common one's statistics.
    const twin = identity === undefined ? undefined : iyTwin(identity);
    if (identity !== undefined) list = list.filter((c) => c.syllable !== identity && c.syllable !== twin);
    list = list.slice(0, decoder.beam - 1);
    // A word in capitals inside running text is often an acronym the sources never showed: keeping it is cheaper.
    const keep = pattern === 'upper' && !upperLine ? decoder.keepCost - CAPS_KEEP_DISCOUNT : decoder.keepCost;
    if (identity !== undefined) {
      let id = lm.id(identity);
      if (twin !== undefined && lm.unigram(lm.id(twin)) < lm.unigram(id)) id = lm.id(twin);
      list.unshift({ syllable: identity, id, channel: 0 });
    }
    else list.push({ syllable: null, id: unk, channel: keep });
    entry = { valid: identity !== undefined, candidates: list, bestChannel };
    if (entries.size > 100_000) entries.clear();
    entries.set(key, entry);
    return entry;
  }

  /** Cost of a token's best reading before context (channel + unigram), nats; a valid syllable costs its unigram. */
  function bestRank(entry: TokenEntry): number {
    let best = decoder.keepCost + UNREAD_UNIGRAM;
    for (const c of entry.candidates) if (c.syllable !== null) best = Math.min(best, c.channel + decoder.lmWeight * lm.unigram(c.id));
    return best;
  }

  /**
   * Two words the OCR ran together (`xdhQi` = `xã hội`, `vdc6c` = `và các`): when
   * the token reads much better as two syllables than as one, the two halves
   * (each of two chars or more) become two slots and the space comes back.
   */
  function splitGlued(token: Token, entry: TokenEntry, channelName: string, upperLine: boolean): [Token, Token] | undefined {
    const text = token.text;
    // A token some syllable reads closely is one word (and not worth the search of every split).
    if (text.length < MIN_SPLIT_LENGTH || !(entry.bestChannel > SPLIT_MIN_SINGLE)) return undefined;
    // Only tokens that show OCR damage (a digit or mark for a letter, a capital inside): a clean
    // word that is no syllable is a foreign word or a name (`online`, `video`), not two words.
    // Longer than any syllable (7 letters, `nghiêng`), a token is two words whatever it shows (`cdchhanh`).
    if (!/[^\p{L}]|.\p{Lu}/u.test(text) && text.length <= MAX_SYLLABLE_LENGTH) return undefined;
    // One word against two, each read at its best before context (channel + unigram): a rare
    // syllable that needs many edits loses to two common ones that need few.
    let best = bestRank(entry) - SPLIT_COST;
    let at = -1;
    for (let i = 2; i <= text.length - 2; i += 1) {
      const left = text.slice(0, i);
      const right = text.slice(i);
      if (!/\p{L}/u.test(left) || !/\p{L}/u.test(right)) continue;
      const leftEntry = entryOf(left, casePattern(left, upperLine), channelName, upperLine);
      const rightEntry = entryOf(right, casePattern(right, upperLine), channelName, upperLine);
      const cost = bestRank(leftEntry) + bestRank(rightEntry);
      // Each half must read well on its own: a foreign word (`online`) splits into two poor readings.
      if (cost < best && Math.max(leftEntry.bestChannel, rightEntry.bestChannel) < SPLIT_MAX_PART) {
        best = cost;
        at = i;
      }
    }
    if (at < 0) return undefined;
    return [
      { kind: 'word', text: text.slice(0, at), start: token.start, end: token.start + at, sentenceStart: token.sentenceStart, glued: 'after' },
      { kind: 'word', text: text.slice(at), start: token.start + at, end: token.end, sentenceStart: false, ...(token.glued ? { glued: token.glued } : {}) },
    ];
  }

  /**
   * `dr,mg` = dựng, `ng.anh` = ngành: a word the OCR broke with a stray mark.
   * The tokenizer cuts at every mark between letters; when the two pieces
   * are not both syllables and the whole reads far better as one word (the
   * mark as junk) than the pieces do apart, they are read as one token.
   */
  function joinAcrossMark(line: string, tokens: readonly Token[], index: number, channelName: string, upperLine: boolean): Token | undefined {
    const left = tokens[index];
    const right = tokens[index + 1];
    if (!right || right.kind !== 'word' || left.glued || right.glued || !/^[.,]$/u.test(line.slice(left.end, right.start))) return undefined;
    const leftEntry = entryOf(left.text, casePattern(left.text, upperLine), channelName, upperLine);
    const rightEntry = entryOf(right.text, casePattern(right.text, upperLine), channelName, upperLine);
    if (leftEntry.valid && rightEntry.valid) return undefined;
    const text = line.slice(left.start, right.end);
    const whole = entryOf(text, casePattern(text, upperLine), channelName, upperLine);
    if (!(bestRank(whole) + JOIN_MARGIN < bestRank(leftEntry) + bestRank(rightEntry))) return undefined;
    return { kind: 'word', text, start: left.start, end: right.end, sentenceStart: left.sentenceStart };
  }

  /** Cost of changing a token that is already a valid syllable, from the estimated noise. */
  function changePenalty(slotsTokens: ReadonlyArray<{ text: string }>): number {
    if (fixedNoise !== undefined) return -Math.log(fixedNoise);
    let valid = 0;
    let marked = 0;
    let invalid = 0;
    for (const { text } of slotsTokens) {
      if (text === '&') continue; // a symbol tells nothing about the noise
      const lower = text.toLowerCase();
      if (canonicalSyllable(lower) === undefined) invalid += 1;
      else {
        valid += 1;
        if (/[^\x00-\x7f]/u.test(lower)) marked += 1;
      }
    }
    // Clean Vietnamese has marks on about 4 syllables in 5; text stripped of
    // them, or full of non-syllables, is noisy. Pseudo-counts keep short texts sane.
    const prior = 10;
    const markRate = (marked + 0.8 * prior) / (valid + prior);
    const invalidRate = (invalid + 0.02 * prior) / (valid + invalid + prior);
    const stripped = Math.max(0, Math.min(1, (0.75 - markRate) / 0.75));
    const noise = Math.min(MAX_NOISE, Math.max(0.002, invalidRate, STRIPPED_NOISE * stripped));
    return -Math.log(noise);
  }

  /**
   * The channel (noise style) that explains a document's tokens best: the
   * lowest mean cost of the best reading of its first distinct words. A
   * channel learned on another engine's habits pays prior costs for what it
   * never saw, so the right one wins by a wide margin; ties go to `pooled`.
   */
  function pickChannel(tokens: ReadonlyArray<{ text: string }>): string {
    if (channels.size === 1) return channels.keys().next().value!;
    const sample: string[] = [];
    const seen = new Set<string>();
    for (const { text } of tokens) {
      // Words that already are syllables cost nothing under any channel: they tell nothing.
      if (text.length < 2 || seen.has(text) || canonicalSyllable(text.toLowerCase()) !== undefined) continue;
      seen.add(text);
      sample.push(text);
      if (sample.length >= DETECT_SAMPLE) break;
    }
    if (sample.length === 0) return channels.has('pooled') ? 'pooled' : channels.keys().next().value!;
    const scores = new Map<string, number>();
    for (const name of channels.keys()) {
      let score = 0;
      for (const text of sample) {
        const entry = entryOf(text, casePattern(text, false), name, false);
        let cheapest = decoder.keepCost;
        for (const c of entry.candidates) if (c.syllable !== null) cheapest = Math.min(cheapest, c.channel);
        score += cheapest;
      }
      scores.set(name, score / sample.length);
    }
    // A channel of one style is sharper than the pooled one: pooled wins only when clearly better.
    let bestName = 'pooled';
    let bestScore = (scores.get('pooled') ?? Infinity) + POOLED_MARGIN;
    for (const [name, score] of scores) {
      if (name !== 'pooled' && score < bestScore) {
        bestScore = score;
        bestName = name;
      }
    }
    return bestName;
  }

  function repairLines(
    rawLines: readonly string[],
    bonus?: Map<number, number>,
    noiseTokens?: ReadonlyArray<{ text: string }>,
    channelChoice?: string,
  ): EngineResult {
    const { lines, cr } = cleanLines(rawLines);
    const tokensByLine = lines.map((line) => tokenize(line, acronyms));
    const wordTokens = noiseTokens ?? tokensByLine.flatMap((tokens) => tokens.filter((t) => t.kind === 'word'));
    const penalty = changePenalty(wordTokens);
    const clean = penalty >= CLEAN_PENALTY;
    // In clean text an unknown word is most likely a real one (`app`, `video`, an unknown acronym):
    // the cleaner the text, the cheaper it is to keep such a word as written.
    const keepRelief = KEEP_SLOPE * Math.max(0, penalty - NOISIEST_PENALTY);
    const channelName = channelChoice ?? fixedStyle ?? pickChannel(wordTokens);
    const decisions: Decision[] = [];
    const codeFixes: Array<{ line: number; token: Token; fixed: string }> = [];
    // Runs of slots decoded together; a run breaks at sentence ends, blank lines and table cells.
    const runSlots: Array<Slot | null> = [];
    const ids: number[] = [];
    const costs: number[] = [];
    const offsets: number[] = [0];
    const flush = (): void => {
      if (runSlots.length === 0) return;
      const { chosen, scores } = viterbi.decode({ ids, costs, offsets }, start, end);
      for (let t = 0; t < runSlots.length; t += 1) {
        const slot = runSlots[t];
        if (slot === null) continue;
        const from = offsets[t];
        const best = chosen[t];
        let margin = 20;
        for (let k = from; k < offsets[t + 1]; k += 1) if (k !== best) margin = Math.min(margin, scores[k] - scores[best]);
        margin = Math.max(0, margin);
        const candidates = slot.entry.candidates;
        const chosenCandidate = candidates[best - from];
        let alternatives: Candidate[] = [];
        if (chosenCandidate.syllable !== null && !(slot.entry.valid && best === from)) {
          const order: number[] = [];
          for (let k = from; k < offsets[t + 1]; k += 1) if (k !== best) order.push(k);
          order.sort((a, b) => scores[a] - scores[b]);
          alternatives = order.slice(0, 3).map((k) => candidates[k - from]);
        }
        decisions.push({ slot, chosen: chosenCandidate, confidence: 1 - 0.5 * Math.exp(-margin), alternatives });
      }
      runSlots.length = 0;
      ids.length = 0;
      costs.length = 0;
      offsets.length = 1;
    };
    const pushFixed = (id: number): void => {
      runSlots.push(null);
      ids.push(id);
      costs.push(0);
      offsets.push(ids.length);
    };
    const pushSlot = (slot: Slot): void => {
      runSlots.push(slot);
      const { entry } = slot;
      entry.candidates.forEach((candidate, index) => {
        let cost = candidate.channel;
        if (entry.valid && index > 0) cost += penalty;
        if (candidate.syllable === null) cost = Math.max(MIN_KEEP, cost - keepRelief);
        if (bonus && candidate.syllable !== null) cost -= bonus.get(candidate.id) ?? 0;
        ids.push(candidate.id);
        costs.push(cost);
      });
      offsets.push(ids.length);
    };
    lines.forEach((line, lineIndex) => {
      const tokens = tokensByLine[lineIndex];
      const cells = line.includes('\t');
      if (tokens.length === 0 || cells) flush();
      const upperLine = isUppercaseLine(line);
      let skip = -1;
      tokens.forEach((token, index) => {
        if (index === skip) return;
        if (!clean && token.kind === 'word') {
          const joined = joinAcrossMark(line, tokens, index, channelName, upperLine);
          if (joined) {
            skip = index + 1;
            pushSlot({ line: lineIndex, token: joined, pattern: casePattern(joined.text, upperLine), entry: entryOf(joined.text, casePattern(joined.text, upperLine), channelName, upperLine), split: false });
            return;
          }
        }
        if (token.sentenceStart && (index > 0 || /[.;:!?]\s*$/u.test(lines[lineIndex - 1] ?? '.'))) flush();
        if (cells && index > 0 && line.slice(tokens[index - 1].end, token.start).includes('\t')) flush();
        if (token.lm === '<sep>' || (clean && token.text === '&')) {
          flush();
          return;
        }
        if (token.kind === 'fixed') {
          const fixed = token.lm === '<code>' ? repairCode(token.text) : token.lm === '<num>' ? repairDate(token.text) : undefined;
          if (fixed !== undefined) codeFixes.push({ line: lineIndex, token, fixed });
          pushFixed(lm.id(token.lm ?? '<unk>'));
          return;
        }
        const pattern = casePattern(token.text, upperLine);
        const entry = entryOf(token.text, pattern, channelName, upperLine, clean);
        const split = clean || entry.valid ? undefined : splitGlued(token, entry, channelName, upperLine);
        if (split) {
          for (const part of split) pushSlot({ line: lineIndex, token: part, pattern: casePattern(part.text, upperLine), entry: entryOf(part.text, casePattern(part.text, upperLine), channelName, upperLine), split: true });
        } else pushSlot({ line: lineIndex, token, pattern, entry, split: false });
      });
      if (cells) flush();
    });
    flush();

    // Apply decisions and code fixes, right to left within a line so offsets stay valid.
    const edits: Edit[] = [];
    for (const decision of decisions) {
      const { slot, chosen } = decision;
      const kept = chosen.syllable === null || (slot.entry.valid && chosen === slot.entry.candidates[0]); // any tone placement
      const word = kept ? slot.token.text : applyCase(chosen.syllable!, slot.pattern);
      // A word run together with a number or another word gets its space back.
      const glued = slot.token.glued;
      if (word === slot.token.text && glued === undefined && !slot.split) continue;
      if (word === slot.token.text && edits.length > 0 && slot.split && edits[edits.length - 1].glued !== 'after') continue;
      edits.push({
        line: slot.line,
        start: slot.token.start,
        end: slot.token.end,
        text: word,
        glued,
        correction: {
          confidence: round(decision.confidence),
          review: decision.confidence < reviewThreshold,
          ruleId: !slot.entry.valid && chosen.channel <= slot.entry.bestChannel ? 'edit-distance' : 'language-model',
          alternatives: decision.alternatives.map((c) => (c.syllable === null ? slot.token.text : applyCase(c.syllable, slot.pattern))),
        },
      });
    }
    for (const fix of codeFixes) {
      edits.push({ line: fix.line, start: fix.token.start, end: fix.token.end, text: fix.fixed, correction: { confidence: 1, review: false, ruleId: 'code', alternatives: [] } });
    }
    edits.sort((a, b) => a.line - b.line || a.start - b.start);
    mergeGlued(edits, lines, tokensByLine);
    const out = [...lines];
    for (let k = edits.length - 1; k >= 0; k -= 1) {
      const edit = edits[k];
      const line = out[edit.line];
      out[edit.line] = line.slice(0, edit.start) + edit.text + line.slice(edit.end);
    }
    const corrections: TextCorrection[] = edits.map((edit) => ({
      line: edit.line + 1,
      column: edit.start + 1,
      endColumn: edit.end + 1,
      actual: lines[edit.line].slice(edit.start, edit.end),
      expected: edit.text,
      ...edit.correction,
    }));
    const text = out.map((line, k) => (cr[k] ? line + '\r' : line)).join('\n');
    return { result: { text, corrections }, decisions, lines: out, channel: channelName };
  }

  return { repairLines, pickChannel, lm, acronyms, fixedStyle };
}

type Engine = ReturnType<typeof createEngine>;

/** One replacement in a line; `glued`: the side where a space goes back between it and its neighbour. */
interface Edit {
  line: number;
  start: number;
  end: number;
  text: string;
  glued?: 'before' | 'after' | undefined;
  correction: Omit<TextCorrection, 'line' | 'column' | 'endColumn' | 'actual' | 'expected'>;
}

/**
 * Give each space that repair puts back one correction spanning both
 * neighbours (`ndm2023` → `năm 2023`, `xdhQi` → `xã hội`), so that every
 * correction records exactly the span it replaces. `edits` is sorted and is
 * rewritten in place.
 */
function mergeGlued(edits: Edit[], lines: readonly string[], tokensByLine: ReadonlyArray<readonly Token[]>): void {
  const out: Edit[] = [];
  for (let k = 0; k < edits.length; k += 1) {
    let edit = edits[k];
    if (edit.glued === 'before') {
      // The neighbour is the token ending where this word starts (a number: never rewritten).
      const before = tokensByLine[edit.line].find((t) => t.end === edit.start);
      const previous = out[out.length - 1];
      if (previous && previous.line === edit.line && previous.end === edit.start) {
        out.pop();
        edit = join(previous, edit);
      } else if (before) {
        const head = lines[edit.line].slice(before.start, edit.start);
        edit = { ...edit, start: before.start, text: head + ' ' + edit.text, correction: { ...edit.correction, alternatives: edit.correction.alternatives.map((a) => head + ' ' + a) } };
      }
      edit.glued = undefined;
    }
    while (edit.glued === 'after') {
      const next = edits[k + 1];
      if (next && next.line === edit.line && next.start === edit.end) {
        edit = join(edit, next);
        k += 1;
        continue;
      }
      const after = tokensByLine[edit.line].find((t) => t.start === edit.end);
      if (!after) {
        edit = { ...edit, glued: undefined };
        break;
      }
      const tail = lines[edit.line].slice(edit.end, after.end);
      edit = { ...edit, end: after.end, text: edit.text + ' ' + tail, glued: undefined, correction: { ...edit.correction, alternatives: edit.correction.alternatives.map((a) => a + ' ' + tail) } };
    }
    out.push(edit);
  }
  edits.length = 0;
  edits.push(...out);

  function join(left: Edit, right: Edit): Edit {
    return {
      line: left.line,
      start: left.start,
      end: right.end,
      text: left.text + (left.glued === 'after' || right.glued === 'before' ? ' ' : '') + right.text,
      glued: right.glued === 'after' ? 'after' : undefined,
      correction: {
        confidence: Math.min(left.correction.confidence, right.correction.confidence),
        review: left.correction.review || right.correction.review,
        ruleId: left.correction.ruleId === right.correction.ruleId ? left.correction.ruleId : 'language-model',
        alternatives: [],
      },
    };
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** Bring a line's words (and table cells) in line with its repaired text. */
function syncLine(line: Line, text: string, corrections: readonly TextCorrection[]): Line {
  const next: Line = { ...line, text };
  if (line.words) {
    let at = 0;
    next.words = line.words.map((word) => {
      const startAt = line.text.indexOf(word.text, at);
      if (startAt < 0 || word.text.length === 0) return word;
      const stop = startAt + word.text.length;
      at = stop;
      let wordText = word.text;
      const inside = corrections.filter((c) => c.column - 1 >= startAt && c.endColumn - 1 <= stop);
      for (const c of [...inside].sort((a, b) => b.column - a.column)) {
        wordText = wordText.slice(0, c.column - 1 - startAt) + c.expected + wordText.slice(c.endColumn - 1 - startAt);
      }
      return wordText === word.text ? word : { ...word, text: wordText };
    });
  }
  if (line.cells) {
    const cells = text.split('\t');
    if (cells.length === line.cells.length) next.cells = cells;
  }
  return next;
}

/** How much cheaper (nats of channel cost) a word broken by a mark must read whole than in two pieces. */
const JOIN_MARGIN = 2;

/** Unigram cost charged to a token no syllable reads (nats; about that of a rare syllable). */
const UNREAD_UNIGRAM = 10;

/** Letters of the longest Vietnamese syllable. */
const MAX_SYLLABLE_LENGTH = 7;

/** Shortest token that may be two words run together (chars). */
const MIN_SPLIT_LENGTH = 4;
/** A token whose best single reading costs less than this (nats of channel cost) is never split. */
const SPLIT_MIN_SINGLE = 4;
/** Neither half of a split may cost more than this (nats). */
const SPLIT_MAX_PART = 4;
/** How much cheaper (nats of channel + unigram cost) two words must read than one. */
const SPLIT_COST = 2;

/** Candidates are cut at this many nats (channel + unigram) above the best one. */
const RANK_WINDOW = 12;

const I_FORMS = 'iìíỉĩị';
const Y_FORMS = 'yỳýỷỹỵ';

/** The other spelling of a syllable ending in i/y after a consonant (`tỉ` ↔ `tỷ`), if it is a syllable. */
function iyTwin(syllable: string): string | undefined {
  const match = /^(b|c|ch|d|đ|h|k|kh|l|m|n|nh|ph|r|s|t|th|tr|v|x)(.)$/u.exec(syllable);
  if (!match) return undefined;
  const last = match[2];
  const i = I_FORMS.indexOf(last);
  const y = Y_FORMS.indexOf(last);
  const other = i >= 0 ? Y_FORMS[i] : y >= 0 ? I_FORMS[y] : undefined;
  if (other === undefined) return undefined;
  const twin = match[1] + other;
  return canonicalSyllable(twin) === twin ? twin : undefined;
}

/** Text whose change penalty is at least this (estimated noise ≤ 2 %) is treated as clean. */
const CLEAN_PENALTY = -Math.log(0.02);

/** Keep-cost relief per nat of change penalty above the noisiest text's. */
const KEEP_SLOPE = 1.5;
/** Highest noise estimate, and the noise of text with no marks at all. */
const MAX_NOISE = 0.7;
const STRIPPED_NOISE = 0.8;
/** The change penalty of the noisiest text. */
const NOISIEST_PENALTY = -Math.log(MAX_NOISE);
/** Keeping an unreadable token never costs less than this, nats. */
const MIN_KEEP = 3;

/** How much cheaper keeping an unknown word in capitals is than keeping other unreadable tokens, nats. */
const CAPS_KEEP_DISCOUNT = 6;

/** Distinct words of a document used to pick its channel. */
const DETECT_SAMPLE = 40;
/** How much better per word (nats) the pooled channel must explain a document to be preferred. */
const POOLED_MARGIN = 0.1;

/** Readings at least this confident feed the document cache. */
const CACHE_CONFIDENCE = 0.95;
/** Weight of the cache against the language model's unigram, and the largest bonus it gives (nats). */
const CACHE_WEIGHT = 0.05;
const CACHE_MAX_BONUS = 2.5;

/**
 * The document-level cache: syllables read with high confidence in a
 * document get a bonus wherever they are a candidate in the same document,
 * in proportion to how much more often the document uses them than the
 * language model expects (a cache language model, capped).
 */
function documentBonus(engine: Engine, decisions: readonly Decision[]): Map<number, number> {
  const counts = new Map<number, number>();
  let total = 0;
  for (const decision of decisions) {
    if (decision.chosen.syllable === null || decision.confidence < CACHE_CONFIDENCE) continue;
    counts.set(decision.chosen.id, (counts.get(decision.chosen.id) ?? 0) + 1);
    total += 1;
  }
  const bonus = new Map<number, number>();
  for (const [id, count] of counts) {
    const ratio = count / total / Math.exp(-engine.lm.unigram(id));
    bonus.set(id, Math.min(CACHE_MAX_BONUS, Math.log(1 + CACHE_WEIGHT * ratio)));
  }
  return bonus;
}

function stage(engine: Engine, useCache: boolean): Stage {
  return async (doc: Doc): Promise<Doc> => {
    const pageInputs = doc.pages.map((page) => page.lines.map((line) => line.text));
    const pageNoise = pageInputs.map((lines) =>
      lines.flatMap((line) => tokenize(line.normalize('NFC'), engine.acronyms).filter((t) => t.kind === 'word')),
    );
    const channelName = engine.fixedStyle ?? engine.pickChannel(pageNoise.flat());
    let bonus: Map<number, number> | undefined;
    if (useCache) {
      // First pass: syllables read with high confidence anywhere in the document.
      bonus = documentBonus(
        engine,
        pageInputs.flatMap((lines, k) => engine.repairLines(lines, undefined, pageNoise[k], channelName).decisions),
      );
    }
    const corrections: Correction[] = [];
    const pages = doc.pages.map((page, k) => {
      if (page.lines.length === 0) return page;
      const { result, lines } = engine.repairLines(pageInputs[k], bonus, pageNoise[k], channelName);
      const byLine = new Map<number, TextCorrection[]>();
      for (const c of result.corrections) {
        const list = byLine.get(c.line) ?? [];
        list.push(c);
        byLine.set(c.line, list);
        corrections.push({
          place: { page: page.number, line: c.line, column: c.column, endColumn: c.endColumn },
          actual: c.actual,
          expected: c.expected,
          confidence: c.confidence,
          review: c.review,
          ruleId: c.ruleId,
          alternatives: c.alternatives,
        });
      }
      const normalized = page.lines.map((line) => ({ ...line, text: line.text.normalize('NFC') }));
      return {
        ...page,
        lines: normalized.map((line, index) => syncLine(line, lines[index], byLine.get(index + 1) ?? [])),
      };
    });
    return { ...doc, pages, corrections: [...doc.corrections, ...corrections] };
  };
}

/**
 * Stage factory: repairs every line of every page and appends the corrections
 * to `doc.corrections` (model loaded once, when the factory is called).
 */
export function repair(options?: Readonly<RepairOptions> | null): Stage {
  return createRepairer(options).repair();
}
