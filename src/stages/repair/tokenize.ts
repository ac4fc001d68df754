/**
 * Split one line into the pieces repair looks at: syllable slots (`word`),
 * spans it must never touch (`fixed`: numbers, dates, codes, URLs, e-mail
 * addresses, HTML tags, acronyms) and the gaps between them (spaces and
 * punctuation, which are copied through unchanged).
 */
import { syllableInventory, toAscii } from './syllable-inventory.js';

/** What a token stands for in the language model. */
export type FixedClass = '<num>' | '<code>' | '<unk>' | '<sep>';

/** One piece of a line. Offsets are UTF-16 indexes into the NFC line. */
export interface Token {
  /** `word`: a syllable slot repair may rewrite; `fixed`: kept as written (except certain code fixes). */
  readonly kind: 'word' | 'fixed';
  readonly text: string;
  /** Start offset (0-based, inclusive). */
  readonly start: number;
  /** End offset (0-based, exclusive). */
  readonly end: number;
  /** For `fixed` tokens: the class the language model sees (`<sep>`: none, a break between runs). */
  readonly lm?: FixedClass;
  /** True when sentence punctuation (or the line start) comes right before this token. */
  readonly sentenceStart: boolean;
  /**
   * A word the OCR ran together with a number (`ndm2023`, `2022cta`): the side
   * where the number touches it, so that repair puts the lost space back.
   */
  readonly glued?: 'before' | 'after';
}

const PROTECTED = [
  /\b(?:https?:\/\/|www\.)[^\s<>"]+/giu, // URLs
  /[\p{L}\d._%+-]+@[\p{L}\d-]+(?:\.[\p{L}\d-]+)+/gu, // e-mail addresses
  /<\/?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?>/gu, // HTML tags inside table cells
  // The number of a document symbol (`số 4831/QĐ-UBND`) read as junk letters and cut off from its
  // `/KIND-ISSUER` tail (`số er, /OD-UBND`): it is a damaged number, never a word to restore.
  /(?<=\s|^)[^\s/]{1,4}(?=(?:[,.]\s*|\s+)\/\p{Lu}{1,4}-\p{Lu}{2,})/gu,
];

const LEADING = /^[("'“‘*•+\-–—[{_]+/u;
const TRAILING = /[.,;:!?)"'”’…*\-–—\]}/]+$/u;
const SENTENCE_END = /[.;:!?]/u;

/** Characters OCR engines put where a Vietnamese letter was (digits and marks), kept inside a word. */
const JUNK = /[\d<>{}[\]|()€£$&@#?!'"^*%~`§¥¢,.:;/\\+=_-]/u;

function isLetter(char: string): boolean {
  return /\p{L}/u.test(char);
}

/**
 * True for an acronym or abbreviation that is not a Vietnamese syllable
 * (`UBND`, `CCHC`, `PAR`, `II`): two or more capitals, no lowercase, and not
 * a syllable even with its marks removed. Such a token inside ordinary text is
 * never a misread word.
 */
export function isAcronym(text: string, inUppercaseLine: boolean, known?: ReadonlySet<string>): boolean {
  if (known?.has(text)) return true; // also mixed-case ones: `TTg`, `CTr`, `VNeID`
  if (!/^[\p{Lu}\d]{2,}$/u.test(text) || !/\p{Lu}.*\p{Lu}/u.test(text)) return false;
  if (/^[IVXLC]+$/.test(text)) return true; // roman numerals
  if (!known) return inUppercaseLine ? /\d/.test(text) || !couldBeSyllable(text) : true;
  if (known.has(text)) return true;
  // In a heading every word is in capitals: only known acronyms are protected
  // there; the rest (`MUC TIEU`, `POI TUQNG`) are words to read. In running
  // text an unknown word in capitals may be OCR junk for a word (`BQ` = Bộ,
  // style A prints vowels as capitals): the decoder reads it, with a cheap
  // option to keep it as written.
  // A word has a vowel; capitals with none (`VT`, `DL`, `SNV`) are abbreviations.
  return !inUppercaseLine && (/\d/.test(text) || !/[AEIOUYQ]/u.test(toAscii(text)));
}

let asciiBases: Set<string> | undefined;

/** True when the letters, marks removed, spell some Vietnamese syllable. */
export function couldBeSyllable(text: string): boolean {
  if (!asciiBases) {
    asciiBases = new Set(syllableInventory().syllables.map((s) => toAscii(s)));
  }
  return asciiBases.has(toAscii(text.toLowerCase()));
}

/** True when most letters of the line are capitals (a heading). */
export function isUppercaseLine(line: string): boolean {
  let upper = 0;
  let lower = 0;
  for (const char of line) {
    if (char !== char.toLowerCase()) upper += 1;
    else if (char !== char.toUpperCase()) lower += 1;
  }
  if (upper >= 3 && upper > lower * 1.5) return true;
  // `I. MUC rrtu, ytu cAu`, `v. T6 cHrIc rHUc HrEN`: a section heading whose capitals the OCR
  // partly read as small junk letters. A roman-numeral mark (or what OCR makes of it) followed by a
  // word in capitals starts a heading in capitals.
  const head = /^\s*([\p{L}\d|!]{1,4})[.)]\s+(\S+)/u.exec(line);
  if (!head || !/^[IVXivxl1|!rmj]+$/u.test(head[1]) || !/[IVXivxlmrj]/u.test(head[1])) return false;
  const word = head[2].replace(/[^\p{L}\d]+$/u, '');
  const letters = [...word].filter((char) => char.toLowerCase() !== char.toUpperCase());
  // The word is a syllable in capitals or a damaged one (`T6`), not an acronym (`II. UBND tỉnh ...`).
  const capitals = letters.length >= 1 && letters.every((char) => char !== char.toLowerCase());
  return capitals && (couldBeSyllable(word) || /\d/u.test(word)) && upper >= 3 && upper >= lower / 2;
}

/**
 * Length of the item mark a line- or cell-initial chunk is (0 when it is none):
 * a roman numeral or a number the OCR misread (`I1.`, `rv.`, `m.`, `Vl)`: followed
 * by `.` or `)`), a number with l, I or O for a digit (`l0`, `2O`, `I1`), or a
 * table header abbreviation in any case (`stt`). The mark's own `.`/`)` is not included.
 */
function itemMarker(chunk: string, acronyms?: ReadonlySet<string>): number {
  const core = /^[\p{L}\d|!]+/u.exec(chunk)?.[0] ?? '';
  if (core.length === 0 || core.length > 4) return 0;
  const rest = chunk.slice(core.length);
  // Digits with letters that look like digits: a damaged number, whatever follows.
  if (/\d/u.test(core) && /^[\dlIO|!]+$/u.test(core) && (rest === '' || /^[.)]/u.test(rest))) return core.length;
  // Roman numerals and what OCR makes of them (I/l/1/| for I, r/v for V, m/rn for III): only before `.` or `)`.
  if (/^[.)](?!\p{L})/u.test(rest) && /^[IVXivxl1|!rmj]+$/u.test(core) && /[IVXivxlmrj]/u.test(core) && !/^[ivx]$/u.test(core)) return core.length;
  // `stt`, `Stt`: an abbreviation of a table header, known in capitals, with no vowel to read.
  if (rest === '' && acronyms?.has(core.toUpperCase()) && !/[aeiouyđ\d]/iu.test(core) && core.length >= 2) return core.length;
  return 0;
}

/** True for a number, date, percentage, amount or numbered list mark. */
function isNumeric(text: string): boolean {
  return /^[+-]?\d[\d.,/:%-]*%?$/u.test(text);
}

/** True for a document code or a compound of capitals with `/` or `-` (`4831/QĐ-UBND`, `CT-XH`). */
function isCode(text: string): boolean {
  if (/\d/.test(text) && /[/-]/.test(text)) return true;
  // `V/v` (về việc), `b/c`: a slash with a single letter on a side is an abbreviation, not two words.
  if (/\//.test(text) && text.split('/').some((part) => [...part].filter(isLetter).length < 2)) return true;
  if (/^[\p{Lu}\dĐ]+(?:[/-][\p{Lu}\dĐ][\p{L}\d]*)+$/u.test(text)) return true;
  return false;
}

/**
 * Split one line into tokens (offsets into `line`, which must be NFC).
 *
 * @param acronyms Known acronyms (optional): in a heading in capitals only these are protected.
 */
export function tokenize(line: string, acronyms?: ReadonlySet<string>): Token[] {
  const tokens: Token[] = [];
  const upperLine = isUppercaseLine(line);
  const taken: Array<[number, number]> = [];
  for (const pattern of PROTECTED) {
    pattern.lastIndex = 0;
    for (const match of line.matchAll(pattern)) {
      const start = match.index;
      const end = start + match[0].length;
      if (taken.some(([a, b]) => start < b && end > a)) continue;
      taken.push([start, end]);
    }
  }
  taken.sort((a, b) => a[0] - b[0]);
  let sentenceStart = true;
  const push = (token: Omit<Token, 'sentenceStart'>): void => {
    const next: Token = { kind: token.kind, text: token.text, start: token.start, end: token.end, lm: token.lm, sentenceStart };
    tokens.push(token.glued ? { ...next, glued: token.glued } : next);
    sentenceStart = false;
  };
  const chunkRe = /\S+/gu;
  for (const match of line.matchAll(chunkRe)) {
    let start = match.index;
    const end = start + match[0].length;
    // The first chunk of a line or of a table cell may be a section or item number the OCR
    // damaged (`I1.` = II., `rv.` = IV., `l0` = 10): the structure stage reads it, repair keeps it.
    if (!taken.some(([a, b]) => start < b && end > a) && (start === 0 || /^[ \t]*$/u.test(line.slice(0, start)) || line[start - 1] === '\t')) {
      const marker = itemMarker(match[0], acronyms);
      if (marker > 0) {
        push({ kind: 'fixed', text: line.slice(start, start + marker), start, end: start + marker, lm: '<num>' });
        if (SENTENCE_END.test(line.slice(start + marker, end))) sentenceStart = true;
        continue;
      }
    }
    // Cut the chunk around protected spans.
    for (const [a, b] of taken) {
      if (b <= start || a >= end) continue;
      if (a > start) splitChunk(line.slice(start, a), start);
      push({ kind: 'fixed', text: line.slice(a, b), start: a, end: b, lm: '<unk>' });
      start = b;
    }
    if (start < end) splitChunk(line.slice(start, end), start);
  }
  return tokens;

  function splitChunk(chunk: string, offset: number): void {
    const lead = LEADING.exec(chunk)?.[0].length ?? 0;
    // `<` is not in LEADING: glued to a letter it is OCR junk for đ (`<lQi`), kept in the word.
    const coreStart = lead;
    if (chunk.slice(0, coreStart).match(SENTENCE_END)) sentenceStart = true;
    const trail = TRAILING.exec(chunk.slice(coreStart))?.[0].length ?? 0;
    let core = chunk.slice(coreStart, chunk.length - trail);
    // `5.|Xây`, `2)Tổ`: an item number run into its text; the number is kept, the rest read.
    const item = /^\d/u.test(core) ? /^\d{1,2}(?:\.\d{1,2})*[.)](?=[|!]?\p{L})/u.exec(core) : null;
    if (item) {
      push({ kind: 'fixed', text: item[0], start: offset + coreStart, end: offset + coreStart + item[0].length, lm: '<num>' });
      sentenceStart = true;
      const skip = item[0].length + (/^[|!]/u.test(core.slice(item[0].length)) ? 1 : 0);
      splitChunk(core.slice(skip) + chunk.slice(chunk.length - trail), offset + coreStart + skip);
      return;
    }
    // `2312/2022cta` = 23/2/2022 của, `ndm2022,2023` = năm 2022,2023: a date or list of numbers
    // run together with a word.
    const mixed = /\d[/.,]|[/.,]\d/u.test(core);
    const numberWord = mixed ? /^(\d[\d/.,]*[/.,][\d/.,]*\d)(\p{L}[\p{L}\d]*)$/u.exec(core) : null;
    const wordNumber = mixed && !numberWord ? /^(\p{L}[\p{L}\d]*?\p{L})(\d[\d/.,]*[/.,][\d/.,]*\d)$/u.exec(core) : null;
    if (numberWord && gluedWord(numberWord[2])) {
      const at = offset + coreStart;
      push({ kind: 'fixed', text: numberWord[1], start: at, end: at + numberWord[1].length, lm: '<num>' });
      push({ kind: 'word', text: numberWord[2], start: at + numberWord[1].length, end: at + core.length, glued: 'before' });
      if (SENTENCE_END.test(chunk.slice(chunk.length - trail))) sentenceStart = true;
      return;
    }
    if (wordNumber && gluedWord(wordNumber[1])) {
      const at = offset + coreStart;
      push({ kind: 'word', text: wordNumber[1], start: at, end: at + wordNumber[1].length, glued: 'after' });
      push({ kind: 'fixed', text: wordNumber[2], start: at + wordNumber[1].length, end: at + core.length, lm: '<num>' });
      if (SENTENCE_END.test(chunk.slice(chunk.length - trail))) sentenceStart = true;
      return;
    }
    if (core.length > 0) {
      const coreOffset = offset + coreStart;
      if (isNumeric(core)) push({ kind: 'fixed', text: core, start: coreOffset, end: coreOffset + core.length, lm: '<num>' });
      else if (isCode(core)) push({ kind: 'fixed', text: core, start: coreOffset, end: coreOffset + core.length, lm: '<code>' });
      else splitCore(core, coreOffset);
    }
    if (SENTENCE_END.test(chunk.slice(chunk.length - trail))) sentenceStart = true;
  }

  /** A word part of a word+number run: two letters or more, no run of digits, not an acronym. */
  function gluedWord(word: string): boolean {
    return [...word].filter(isLetter).length >= 2 && !/\d{2,}/u.test(word) && !isAcronym(word, upperLine, acronyms);
  }

  function splitCore(core: string, offset: number): void {
    // `ph6p.t4i`, `c6.hiQu`: punctuation glued between two words; `Rịa-Vũng`, `tế-xã`: a hyphenated pair.
    // `2022,n8rm2023`: a number (two digits or more: one is likely a vowel, `tri,3n`) and a word with only a mark between them.
    const parts = core
      .split(/(?<=\p{L}{2})([.,;:/]+)(?=\p{L}{2})|(?<=\p{L})(-)(?=\p{L})|(?<=\d{2})([.,;:]+)(?=\p{L}[\p{L}\d])|(?<=\p{L}{2})([.,;:]+)(?=\d{3})/u)
      .filter((part) => part !== undefined);
    let at = offset;
    for (let index = 0; index < parts.length; index += 1) {
      const part = parts[index];
      if (index % 2 === 1) {
        if (SENTENCE_END.test(part)) sentenceStart = true;
        at += part.length;
        continue;
      }
      pushPiece(part, at);
      at += part.length;
    }
  }

  function pushPiece(piece: string, offset: number): void {
    // `ndm2023`, `2022cta`: a word and a number of three digits or more run together (no
    // syllable holds three junk digits in a row): read them as two tokens.
    const wordFirst = /^(\p{L}[\p{L}\d]*?\p{L}|\p{L})(\d{3,})$/u.exec(piece);
    const numberFirst = wordFirst ? null : /^(\d{3,})(\p{L}[\p{L}\d]*)$/u.exec(piece);
    if (wordFirst && [...wordFirst[1]].filter(isLetter).length >= 2) {
      const word = wordFirst[1];
      push({ kind: 'word', text: word, start: offset, end: offset + word.length, glued: 'after' });
      push({ kind: 'fixed', text: wordFirst[2], start: offset + word.length, end: offset + piece.length, lm: '<num>' });
      return;
    }
    if (numberFirst && [...numberFirst[2]].filter(isLetter).length >= 2 && !/\d{2,}/u.test(numberFirst[2])) {
      const number = numberFirst[1];
      push({ kind: 'fixed', text: number, start: offset, end: offset + number.length, lm: '<num>' });
      push({ kind: 'word', text: numberFirst[2], start: offset + number.length, end: offset + piece.length, glued: 'before' });
      return;
    }
    const span = { text: piece, start: offset, end: offset + piece.length };
    const letters = [...piece].filter(isLetter).length;
    // A lone `&` between words is what some engines print for `ở`: a word slot (kept in clean text).
    if (piece === '&') {
      push({ kind: 'word', ...span });
      return;
    }
    if (letters === 0) {
      // No letter and no digit (`|`, `&`, `^`): a cell border or a smudge, not a word; the
      // language model reads it as a break, not as an unknown word.
      push({ kind: 'fixed', ...span, lm: /\d/.test(piece) ? '<num>' : '<sep>' });
      return;
    }
    // `LIBND` = UBND: a known acronym whose U the OCR read as LI (fixed as a code).
    if (isAcronym(piece, upperLine, acronyms) || (piece.includes('LI') && acronyms?.has(piece.replace('LI', 'U')))) {
      push({ kind: 'fixed', ...span, lm: '<code>' });
      return;
    }
    // A lone consonant letter (a list mark, an initial) is no syllable and not worth reading as one.
    if (/^[bcdđfghjklmnpqrstvwxz]$/iu.test(piece)) {
      push({ kind: 'fixed', ...span, lm: '<unk>' });
      return;
    }
    // `2a`, `3b`: an item number with its letter, not a word with a misread vowel. Not with 1 or 0
    // alone: those are what OCR makes of l, i and o (`quan 1y` = quản lý).
    if (/^\d+[a-h]$/u.test(piece) && /[2-9]/u.test(piece)) {
      push({ kind: 'fixed', ...span, lm: '<num>' });
      return;
    }
    const chars = [...piece];
    const junk = chars.filter((char) => JUNK.test(char)).length;
    // A word is mostly letters; long runs of junk are not worth reading.
    // Two digits and a vowel (`86o` = báo, 8 for B and 6 for á) is a damaged word; more digits, or a
    // consonant after them (`15h`, `20m`), a number.
    if (chars.length > 10 || junk > letters + 1 || (/\d{2,}/.test(piece) && !/^\d{2}[aeiouyAEIOUY]$/u.test(piece))) {
      push({ kind: 'fixed', ...span, lm: '<unk>' });
      return;
    }
    push({ kind: 'word', ...span });
  }
}
