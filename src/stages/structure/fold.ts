/**
 * Diacritic-insensitive matching for text that OCR may have damaged.
 *
 * `fold` keeps the length of its (NFC) input, one output character per input
 * UTF-16 unit, so an index found in the folded text is the same index in the
 * original: patterns run on the fold, slices are cut from the original.
 */

const cache = new Map<string, string>();

function foldChar(ch: string): string {
  let out = cache.get(ch);
  if (out === undefined) {
    if (ch === 'đ') out = 'd';
    else if (ch === 'Đ') out = 'D';
    // Slashes OCR reads in other shapes (`123⁄KH-SNV`) match as `/`.
    else if (ch === '⁄' || ch === '∕' || ch === '／') out = '/';
    else {
      const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
      // Only accept one-unit results so indexes stay aligned.
      out = base.length === 1 ? base : ch;
    }
    cache.set(ch, out);
  }
  return out;
}

/**
 * Strip Vietnamese diacritics (`Kế hoạch` → `Ke hoach`, `Đ` → `D`; other slashes → `/`), keep case and length.
 *
 * @param text NFC text.
 * @returns Folded text of the same length.
 */
export function fold(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += foldChar(text[i]);
  return out;
}

/**
 * Fold, lowercase and squeeze spaces: a key for comparing short labels.
 *
 * @param text Any text.
 */
export function foldKey(text: string): string {
  return fold(text.normalize('NFC')).toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * Share of letters that are uppercase (0–1); headings of roman sections and
 * header lines are printed in capitals, which survives OCR better than the marks.
 *
 * @param text Any text.
 */
export function upperRatio(text: string): number {
  let letters = 0;
  let upper = 0;
  for (const ch of text) {
    if (ch.toLowerCase() !== ch.toUpperCase()) {
      letters++;
      if (ch === ch.toUpperCase()) upper++;
    }
  }
  return letters === 0 ? 0 : upper / letters;
}

/** Number of letters in `text`. */
export function letterCount(text: string): number {
  let n = 0;
  for (const ch of text) if (ch.toLowerCase() !== ch.toUpperCase()) n++;
  return n;
}

/**
 * Similarity 0–1 of two short texts on their diacritic fold (1 − edit
 * distance / longer length): OCR reads a header repeated on every page a
 * little differently each time.
 *
 * @param a First text.
 * @param b Second text.
 */
export function similarity(a: string, b: string): number {
  const x = foldKey(a);
  const y = foldKey(b);
  if (x === y) return 1;
  const n = Math.max(x.length, y.length);
  if (n === 0) return 1;
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    prev = row;
  }
  return 1 - prev[y.length] / n;
}
