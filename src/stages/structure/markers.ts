/**
 * Section markers and bullets at the start of a line, read leniently: OCR
 * turns `II.` into `I1.`, `III.` into `m.`, `IV.` into `rv.`, `1.` into `l.`.
 */
import type { MarkerKind } from '../../model/structure.js';
import { fold, letterCount, upperRatio } from './fold.js';

/** A marker found at the start of a line. */
export interface Marker {
  kind: MarkerKind;
  /** Marker as printed, with its final `.`/`)` (`I1.`, `3.1.`, `a)`, `Điều 2.`). */
  printed: string;
  /** Value as read (`2`, `3.1`, `a`); null when the marker is too damaged to read. */
  value: string | null;
  /** Text after the marker. */
  rest: string;
}

const ROMAN_VALUES: Record<string, number> = { I: 1, V: 5, X: 10, L: 50 };

/**
 * Value of a roman numeral written with I, V, X, L; null when it is not a well-formed numeral.
 *
 * @param roman Uppercase numeral.
 */
export function romanValue(roman: string): number | null {
  if (!/^[IVXL]+$/.test(roman)) return null;
  let total = 0;
  for (let i = 0; i < roman.length; i++) {
    const v = ROMAN_VALUES[roman[i]];
    const next = i + 1 < roman.length ? ROMAN_VALUES[roman[i + 1]] : 0;
    total += v < next ? -v : v;
  }
  return toRoman(total) === roman ? total : null;
}

/**
 * Roman numeral for 1–89.
 *
 * @param n Positive integer.
 */
export function toRoman(n: number): string {
  const table: Array<[number, string]> = [
    [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I'],
  ];
  let out = '';
  for (const [v, s] of table) {
    while (n >= v) {
      out += s;
      n -= v;
    }
  }
  return out;
}

/**
 * Read a damaged roman numeral: OCR confuses `I` with `1`, `l`, `|`; `III` may
 * come out as `m` or `ill`; `IV` as `rv`/`lv`; `II` as `n`/`u`.
 *
 * @param token Marker without its dot.
 * @returns Value or null.
 */
export function lenientRoman(token: string): number | null {
  let t = token.toUpperCase();
  t = t.replace(/M/g, 'III').replace(/[1L|!J]/g, 'I').replace(/^R(?=V)/, 'I').replace(/^[NU]$/, 'II').replace(/H/g, 'II');
  return romanValue(t);
}

/** Letters Vietnamese lists use, in order (`đ` after `d`; no f, j, w, z). */
export const LETTERS = ['a', 'b', 'c', 'd', 'đ', 'e', 'g', 'h', 'i', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v', 'x', 'y'];

/**
 * Recognise a section marker at the start of `text`.
 *
 * @param text One line or paragraph.
 * @returns The marker, or null when the text does not start with one.
 */
export function parseMarker(text: string, loose: number | false = false): Marker | null {
  const t = text.trimStart();
  const f = fold(t);
  let m = /^Chuong\s+([IVXL]{1,6}|\d{1,2})\b\.?\s*/i.exec(f);
  if (m && !/^\p{Ll}/u.test(t.slice(m[0].length))) {
    const token = m[1].toUpperCase();
    const value = /^\d+$/.test(token) ? String(Number(token)) : romanValue(token);
    return { kind: 'chapter', printed: t.slice(0, m[0].length).trim(), value: value === null ? null : String(value), rest: t.slice(m[0].length).trim() };
  }
  m = /^Dieu\s+(\d{1,3})\s*[.:]\s*/i.exec(f);
  if (m) return { kind: 'article', printed: t.slice(0, m[0].length).trim(), value: m[1], rest: t.slice(m[0].length).trim() };
  m = /^(\d{1,2}(?:\.\d{1,2})+)\.?\s+(?=\S)/.exec(f);
  if (m) return { kind: 'decimal', printed: t.slice(0, m[0].length).trim(), value: m[1], rest: t.slice(m[0].length).trim() };
  m = /^([a-zđ])\s?\)\s+(?=\S)/.exec(t);
  if (m) return { kind: 'letter', printed: t.slice(0, m[0].length).trim(), value: m[1], rest: t.slice(m[0].length).trim() };
  // `I MỤC ĐÍCH, YÊU CẦU`: a well-formed numeral before a heading in capitals, its dot lost.
  m = /^([IVXL]{1,5})\s+(?=\S)/.exec(f);
  if (m && romanValue(m[1]) !== null) {
    const rest = t.slice(m[0].length).trim();
    if (t.length <= 100 && letterCount(rest) >= 4 && upperRatio(rest) >= 0.8) {
      return { kind: 'roman', printed: t.slice(0, m[0].length).trim(), value: String(romanValue(m[1])), rest };
    }
  }
  m = /^([0-9IVXLivxlmnru|!]{1,5})\s?[.,]\s+(?=\S)/.exec(f);
  if (!m) return loose === false ? null : looseRoman(t, loose);
  const token = m[1];
  const printed = t.slice(0, m[0].length).trim();
  const rest = t.slice(m[0].length).trim();
  if (/^\d+$/.test(token)) return token.length <= 2 ? { kind: 'arabic', printed, value: String(Number(token)), rest } : null;
  const strict = romanValue(token);
  // Roman headings are printed in capitals; that tells `I1.` (II) from `11.`
  // and `l.` (1) from `I.` when the marker itself is damaged.
  const capitals = letterCount(rest) >= 3 && upperRatio(rest) >= 0.5;
  if (strict !== null && (capitals || letterCount(rest) < 3 || /^[A-ZĐ]/.test(rest))) {
    return { kind: 'roman', printed, value: String(strict), rest };
  }
  if (capitals) {
    const v = lenientRoman(token);
    return { kind: 'roman', printed, value: v === null ? null : String(v), rest };
  }
  if (/^[0-9lI|!]{1,2}$/.test(token) && /^[A-ZĐ\p{Lu}]/u.test(rest)) {
    return { kind: 'arabic', printed, value: String(Number(token.replace(/[lI|!]/g, '1'))), rest };
  }
  return loose === false ? null : looseRoman(t, loose);
}

// Abbreviations that open capitalised lines without being section numbers.
const NOT_MARKERS = /^(TM|KT|TL|TUQ|Q|TP|TX|TT|ST|SO|NO|CH)$/i;

/**
 * True for an abbreviation that ends in a dot at the start of a line without being a marker
 * (`TM.`, `KT.`, `TP.`).
 *
 * @param token The word before the dot.
 */
export function isAbbreviation(token: string): boolean {
  return NOT_MARKERS.test(fold(token));
}

/**
 * A capitalised heading led by a short token that OCR (or a repair that took
 * it for a word) made unreadable: `ỦY. NỘI DUNG, HÌNH THỨC` for `II. …`. Only
 * asked for where roman sections are already being numbered.
 */
function looseRoman(t: string, expected: number): Marker | null {
  const m = /^(\S{1,3}?)\s?[.,]\s+(?=\S)/.exec(t);
  if (!m || NOT_MARKERS.test(fold(m[1]))) return null;
  const rest = t.slice(m[0].length).trim();
  if (t.length > 100 || letterCount(rest) < 6) return null;
  const v = lenientRoman(fold(m[1]));
  // Mostly capitals, or exactly the numeral expected next on a short heading line
  // (`v. Tổ chức rHUc HrEN` after IV: the repair lowercased part of the heading).
  const capitals = upperRatio(rest) >= 0.6;
  const inSequence = v === expected && rest.length <= 60 && !/[.;,]$/.test(rest) && /^\p{Lu}/u.test(rest);
  if (!capitals && !inSequence) return null;
  return { kind: 'roman', printed: t.slice(0, m[0].length).trim(), value: v === null ? null : String(v), rest };
}

/** A bullet at the start of a line. */
export interface Bullet {
  /** `-` or `+` (`•`, `–` and `*` read as `-`). */
  bullet: '-' | '+';
  rest: string;
}

/**
 * Recognise a `-`/`+` list bullet at the start of `text`.
 *
 * @param text One line or paragraph.
 */
export function parseBullet(text: string): Bullet | null {
  // A stray mark before the bullet (`. - Các nhiệm vụ`) is OCR noise.
  // `¬` and `~` are how OCR often reads a short dash.
  const m = /^\s*(?:[.,'`^:;]+\s+)?([-–—+•*¬~])(?![-–—])\s*(?=\S)/.exec(text);
  if (!m) return null;
  return { bullet: m[1] === '+' ? '+' : '-', rest: text.slice(m[0].length).trim() };
}
