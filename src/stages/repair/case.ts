/**
 * The case pattern of a token and how to put it back on a repaired word:
 * `MUC TIEU` → `MỤC TIÊU`, `Kh6nh` → `Khánh`, `hiQn` → `hiện` (a capital
 * inside a lowercase word is OCR junk, not case).
 */

/** `lower`: all lowercase; `title`: first letter capital; `upper`: all capitals. */
export type CasePattern = 'lower' | 'title' | 'upper';

/** Read the case pattern of a noisy token (`inUppercaseLine`: the line is a heading in capitals). */
export function casePattern(token: string, inUppercaseLine: boolean): CasePattern {
  const letters = [...token].filter((char) => char.toLowerCase() !== char.toUpperCase());
  if (letters.length === 0) return 'lower';
  const upper = letters.filter((char) => char !== char.toLowerCase()).length;
  const firstUpper = letters[0] !== letters[0].toLowerCase();
  // In running text a word all in capitals that needs repair is mostly OCR junk for
  // vowels (`BQ` = Bộ); real acronyms are kept as written before case matters.
  if (letters.length >= 2 && upper === letters.length) return inUppercaseLine || letters.length > 3 ? 'upper' : 'title';
  if (inUppercaseLine && upper >= Math.ceil(letters.length / 2)) return 'upper';
  // In a heading every word is in capitals; small letters in it are OCR junk (`rrtu` = TIÊU).
  if (inUppercaseLine) return 'upper';
  return firstUpper ? 'title' : 'lower';
}

/** Put a case pattern on a lowercase word. */
export function applyCase(word: string, pattern: CasePattern): string {
  if (pattern === 'upper') return word.toUpperCase();
  if (pattern === 'title') return word.charAt(0).toUpperCase() + word.slice(1);
  return word;
}
