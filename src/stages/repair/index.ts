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
import { repairCode } from './codes.js';
import { decode, type Option } from './decode.js';
import { loadLanguageModel, type LanguageModel } from './language-model.js';
import { DEFAULT_MODEL_PATH, readModelFile, type DecoderSettings } from './model-file.js';
import { canonicalSyllable } from './syllable-inventory.js';
import { isUppercaseLine, tokenize, type Token } from './tokenize.js';

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
  /** Use the document-level cache in the stage (default: `true`). */
  readonly documentCache?: boolean;
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

interface Slot {
  readonly line: number;
  readonly token: Token;
  readonly pattern: CasePattern;
  readonly valid: boolean;
  readonly candidates: Candidate[];
  options: Option[];
  /** Index into candidates per option. */
  pick: number[];
}

interface Decision {
  readonly slot: Slot;
  readonly chosen: Candidate;
  readonly confidence: number;
  readonly alternatives: Candidate[];
  readonly channelBest: boolean;
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
  const channel = createChannel(data.channel);
  const lm = loadLanguageModel(data.lm);
  const decoder: DecoderSettings = data.settings;
  const engine = createEngine(channel, lm, decoder, reviewThreshold, settings.noise);

  return {
    fingerprint: sha256,
    repairLine: (text) => engine.repairLines([text]).result,
    repairText: (text) => engine.repairLines(text.split('\n')).result,
    repair: () => stage(engine, settings.documentCache ?? true),
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
}

function createEngine(channel: Channel, lm: LanguageModel, decoder: DecoderSettings, reviewThreshold: number, fixedNoise: number | undefined) {
  const start = lm.id('<s>');
  const end = lm.id('</s>');
  const unk = lm.id('<unk>');
  const channelCache = new Map<string, Candidate[]>();

  /** Candidates of a token (channel only), cached: documents repeat their words. */
  function channelCandidates(text: string, pattern: CasePattern): Candidate[] {
    const key = pattern === 'upper' ? text : pattern === 'title' ? text.charAt(0).toLowerCase() + text.slice(1) : text;
    let list = channelCache.get(key);
    if (list) return list;
    const lower = text.toLowerCase();
    const identity = canonicalSyllable(lower);
    list = channel.candidates(key, { limit: 40 }).map((c) => ({ syllable: c.syllable, id: lm.id(c.syllable), channel: c.cost }));
    if (identity !== undefined) {
      list = list.filter((c) => c.syllable !== identity);
      list.unshift({ syllable: identity, id: lm.id(identity), channel: 0 });
    }
    if (channelCache.size > 50_000) channelCache.clear();
    channelCache.set(key, list);
    return list;
  }

  /** Cost of changing a token that is already a valid syllable, from the estimated noise. */
  function changePenalty(slotsTokens: Array<{ text: string }>): number {
    if (fixedNoise !== undefined) return -Math.log(fixedNoise);
    let valid = 0;
    let marked = 0;
    let invalid = 0;
    for (const { text } of slotsTokens) {
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
    const noise = Math.min(0.7, Math.max(0.002, invalidRate, 0.8 * stripped));
    return -Math.log(noise);
  }

  function buildSlot(line: number, token: Token, upperLine: boolean, penalty: number, bonus: Map<number, number> | undefined): Slot {
    const pattern = casePattern(token.text, upperLine);
    const valid = canonicalSyllable(token.text.toLowerCase()) !== undefined;
    const candidates = [...channelCandidates(token.text, pattern)];
    if (!valid) candidates.push({ syllable: null, id: unk, channel: decoder.keepCost });
    const scored = candidates.map((candidate, index) => {
      let cost = candidate.channel;
      if (valid && index > 0) cost += penalty;
      if (bonus && candidate.syllable !== null) cost -= bonus.get(candidate.id) ?? 0;
      return { index, cost, rank: cost + decoder.lmWeight * lm.unigram(candidate.id) };
    });
    scored.sort((a, b) => a.rank - b.rank);
    const kept = scored.slice(0, decoder.beam);
    // Never prune away the token as written.
    if (!kept.some((s) => s.index === 0) && valid) kept[kept.length - 1] = scored.find((s) => s.index === 0)!;
    if (!valid && !kept.some((s) => candidates[s.index].syllable === null)) kept[kept.length - 1] = scored.find((s) => candidates[s.index].syllable === null)!;
    return {
      line,
      token,
      pattern,
      valid,
      candidates,
      options: kept.map((s) => ({ id: candidates[s.index].id, cost: s.cost })),
      pick: kept.map((s) => s.index),
    };
  }

  function repairLines(rawLines: readonly string[], bonus?: Map<number, number>, noiseTokens?: Array<{ text: string }>): EngineResult {
    const { lines, cr } = cleanLines(rawLines);
    const tokensByLine = lines.map((line) => tokenize(line));
    const wordTokens = tokensByLine.flatMap((tokens) => tokens.filter((t) => t.kind === 'word'));
    const penalty = changePenalty(noiseTokens ?? wordTokens);
    const decisions: Decision[] = [];
    const codeFixes: Array<{ line: number; token: Token; fixed: string }> = [];
    // Runs of slots decoded together; a run breaks at sentence ends, blank lines and table cells.
    type Item = { slot: Slot } | { fixed: number };
    let run: Item[] = [];
    const flush = (): void => {
      if (run.length === 0) return;
      const slots: Option[][] = run.map((item) => ('slot' in item ? item.slot.options : [{ id: item.fixed, cost: 0 }]));
      const results = decode(slots, lm, decoder.lmWeight, start, end);
      run.forEach((item, t) => {
        if (!('slot' in item)) return;
        const { slot } = item;
        const { best, scores } = results[t];
        const order = [...scores.keys()].sort((a, b) => scores[a] - scores[b]);
        const second = order.find((k) => k !== best);
        const margin = second === undefined ? 20 : scores[second] - scores[best];
        const chosen = slot.candidates[slot.pick[best]];
        const channelBest = slot.candidates.every((c) => c.syllable === null || c.channel >= chosen.channel);
        decisions.push({
          slot,
          chosen,
          confidence: 1 - 0.5 * Math.exp(-margin),
          alternatives: order.filter((k) => k !== best).slice(0, 3).map((k) => slot.candidates[slot.pick[k]]),
          channelBest,
        });
      });
      run = [];
    };
    lines.forEach((line, lineIndex) => {
      const tokens = tokensByLine[lineIndex];
      if (tokens.length === 0 || line.includes('\t')) flush();
      const upperLine = isUppercaseLine(line);
      for (const token of tokens) {
        if (token.sentenceStart && lineIndex > 0 && token !== tokens[0]) flush();
        else if (token.sentenceStart && token === tokens[0] && /[.;:!?]\s*$/u.test(lines[lineIndex - 1] ?? '.')) flush();
        if (token.kind === 'fixed') {
          if (token.lm === '<code>') {
            const fixed = repairCode(token.text);
            if (fixed !== undefined) codeFixes.push({ line: lineIndex, token, fixed });
          }
          run.push({ fixed: lm.id(token.lm ?? '<unk>') });
          continue;
        }
        if (/\t/u.test(line.slice(token.start - 1, token.start))) flush();
        run.push({ slot: buildSlot(lineIndex, token, upperLine, penalty, bonus) });
      }
      if (line.includes('\t')) flush();
    });
    flush();

    // Apply decisions and code fixes line by line, right to left so offsets stay valid.
    type Edit = { line: number; start: number; end: number; text: string; correction: Omit<TextCorrection, 'line' | 'column' | 'endColumn' | 'actual' | 'expected'> };
    const edits: Edit[] = [];
    for (const decision of decisions) {
      const { slot, chosen } = decision;
      if (chosen.syllable === null) continue;
      if (slot.valid && chosen === slot.candidates[0]) continue; // kept as written (any tone placement)
      const text = applyCase(chosen.syllable, slot.pattern);
      if (text === slot.token.text) continue;
      edits.push({
        line: slot.line,
        start: slot.token.start,
        end: slot.token.end,
        text,
        correction: {
          confidence: round(decision.confidence),
          review: decision.confidence < reviewThreshold,
          ruleId: decision.channelBest && !slot.valid ? 'edit-distance' : 'language-model',
          alternatives: decision.alternatives.map((c) => (c.syllable === null ? slot.token.text : applyCase(c.syllable, slot.pattern))),
        },
      });
    }
    for (const fix of codeFixes) {
      edits.push({ line: fix.line, start: fix.token.start, end: fix.token.end, text: fix.fixed, correction: { confidence: 1, review: false, ruleId: 'code', alternatives: [] } });
    }
    edits.sort((a, b) => a.line - b.line || a.start - b.start);
    const out = [...lines];
    const corrections: TextCorrection[] = [];
    for (let k = edits.length - 1; k >= 0; k -= 1) {
      const edit = edits[k];
      const line = out[edit.line];
      out[edit.line] = line.slice(0, edit.start) + edit.text + line.slice(edit.end);
    }
    for (const edit of edits) {
      corrections.push({
        line: edit.line + 1,
        column: edit.start + 1,
        endColumn: edit.end + 1,
        actual: lines[edit.line].slice(edit.start, edit.end),
        expected: edit.text,
        ...edit.correction,
      });
    }
    const text = out.map((line, k) => (cr[k] ? line + '\r' : line)).join('\n');
    return { result: { text, corrections }, decisions, lines: out };
  }

  return { repairLines, lm };
}

type Engine = ReturnType<typeof createEngine>;

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

const CACHE_CONFIDENCE = 0.95;
const CACHE_WEIGHT = 0.05;
const CACHE_MAX_BONUS = 2.5;

function stage(engine: Engine, useCache: boolean): Stage {
  return async (doc: Doc): Promise<Doc> => {
    const pageInputs = doc.pages.map((page) => page.lines.map((line) => line.text));
    const pageNoise = pageInputs.map((lines) =>
      lines.flatMap((line) => tokenize(line.normalize('NFC')).filter((t) => t.kind === 'word')),
    );
    let bonus: Map<number, number> | undefined;
    if (useCache) {
      // First pass: syllables read with high confidence anywhere in the document.
      const counts = new Map<number, number>();
      let total = 0;
      pageInputs.forEach((lines, k) => {
        for (const decision of engine.repairLines(lines, undefined, pageNoise[k]).decisions) {
          if (decision.chosen.syllable === null || decision.confidence < CACHE_CONFIDENCE) continue;
          counts.set(decision.chosen.id, (counts.get(decision.chosen.id) ?? 0) + 1);
          total += 1;
        }
      });
      bonus = new Map();
      for (const [id, count] of counts) {
        const ratio = count / total / Math.exp(-engine.lm.unigram(id));
        bonus.set(id, Math.min(CACHE_MAX_BONUS, Math.log(1 + CACHE_WEIGHT * ratio)));
      }
    }
    const corrections: Correction[] = [];
    const pages = doc.pages.map((page, k) => {
      if (page.lines.length === 0) return page;
      const { result, lines } = engine.repairLines(pageInputs[k], bonus, pageNoise[k]);
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
