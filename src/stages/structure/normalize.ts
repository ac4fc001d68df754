/**
 * Undo OCR damage in header and footer values with what the standard layout
 * (Nghị định 30/2020/NĐ-CP) fixes about them: the administrative level words
 * of an issuer line, the `/` between number and symbol, the place of issue
 * being the administrative unit the issuer sits in, `năm` before a year, and
 * the fixed marks of the Nơi nhận list (`(b/c)`, `Lưu: VT`).
 *
 * Only values are changed, never the page text; each change is listed in
 * `metadata.normalized` with the text as read and the rule, so it can be
 * traced and undone.
 */
import { readFileSync } from 'node:fs';
import levenshtein from 'fast-levenshtein';
import type { Metadata, Normalization } from '../../model/structure.js';
import { fold } from './fold.js';

type Rule = Normalization['rule'];

/** Administrative level words as printed in issuer lines, keyed by their folded upper case. */
const ADMIN_WORDS = new Map(
  ['TỈNH', 'HUYỆN', 'QUẬN', 'XÃ', 'PHƯỜNG', 'THỊ', 'TRẤN', 'THÀNH', 'PHỐ'].map((w) => [fold(w), w]),
);

/**
 * An issuer line with each administrative level word (`TỈNH`, `HUYỆN`, `XÃ`…)
 * in its one spelling, when OCR put a wrong mark on it (`TÍNH`, `HUYẸN`). Only
 * capitals: issuer lines are printed in them, and in running text `tính` is a word.
 */
export function canonicalAdminWords(text: string): string {
  return text.replace(/\p{Lu}+/gu, (word, at: number) => {
    const canonical = ADMIN_WORDS.get(fold(word));
    // A word without any mark is from text typed or read without diacritics: left as it is.
    if (!canonical || canonical === word || fold(word) === word) return word;
    // THỊ / TRẤN / THÀNH / PHỐ only in their pairs (THỊ XÃ, THỊ TRẤN, THÀNH PHỐ).
    const pair = fold(text.slice(at)).match(/^(\p{Lu}+)\s+(\p{Lu}+)/u);
    const before = fold(text.slice(0, at)).match(/(\p{Lu}+)\s+$/u)?.[1];
    if (['THI', 'THANH'].includes(fold(canonical)) && !(pair && ['XA', 'TRAN', 'PHO'].includes(pair[2]))) return word;
    if (['TRAN', 'PHO'].includes(fold(canonical)) && !(before && ['THI', 'THANH'].includes(before))) return word;
    return canonical;
  });
}

/** `Hòa Lâm` from `HÒA LÂM`: each syllable capitalised, as place names are written. */
function titleCase(text: string): string {
  return text
    .toLocaleLowerCase('vi')
    .split(/\s+/)
    .map((w) => w.charAt(0).toLocaleUpperCase('vi') + w.slice(1))
    .join(' ');
}

/**
 * Names of the administrative units in issuer lines (`UBND TỈNH HÒA LÂM` →
 * `Hòa Lâm`): by the standard, the place of issue is the unit the issuer sits in.
 */
export function issuerPlaces(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const f = fold(line).toUpperCase();
    const re = /(?:^|\s)(TINH|THANH PHO|HUYEN|QUAN|THI XA|THI TRAN|XA|PHUONG)\s+/g;
    for (let m = re.exec(f); m; m = re.exec(f)) {
      const start = m.index + m[0].length;
      // The name runs to the end of the line or to the next level word.
      const rest = f.slice(start);
      const next = /\s(?:TINH|THANH PHO|HUYEN|QUAN|THI XA|THI TRAN|XA|PHUONG)\s/.exec(` ${rest} `);
      const end = next ? start + Math.max(0, next.index - 1) : line.length;
      const name = line.slice(start, end).replace(/[^\p{L}\d\s-]/gu, '').trim();
      if (name.length >= 2 && !/\d/.test(name) && name.split(/\s+/).length <= 4) out.push(titleCase(name));
    }
  }
  return [...new Set(out)];
}

let knownPlaces: string[] | null = null;

/** Bare names of the provinces and districts in `dictionaries/terms/places.txt` (empty when the file is absent). */
export function placeNames(): readonly string[] {
  if (knownPlaces) return knownPlaces;
  try {
    const text = readFileSync(new URL('../../../dictionaries/terms/places.txt', import.meta.url), 'utf8');
    const names = new Set<string>();
    for (const raw of text.split('\n')) {
      const line = raw.trim().normalize('NFC');
      if (line === '' || line.startsWith('#')) continue;
      names.add(line.replace(/^(tỉnh|thành phố|huyện|quận|thị xã)\s+/iu, ''));
    }
    knownPlaces = [...names];
  } catch {
    knownPlaces = [];
  }
  return knownPlaces;
}

const key = (s: string) => fold(s).toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * The place of issue as the unit it must be, when OCR damaged a few of its
 * letters: the place read is compared with the units named in the issuer
 * lines (up to a quarter of its letters may differ) and with the known
 * provinces and districts (only a misread mark or one letter, since the list
 * is not every place). A place that is itself a known name, or close to two
 * candidates at once, stays as read.
 *
 * @returns The snapped name and its rule, or null to keep the place as read.
 */
export function snapPlace(place: string, fromIssuer: readonly string[], known: readonly string[] = placeNames()): { value: string; rule: Rule } | null {
  const prefix = /^((?:Thành phố|TP\.?|Tp\.?|Thị xã|Huyện|Quận)\s+)/u.exec(place)?.[1] ?? '';
  const name = place.slice(prefix.length).trim();
  if (name === '' || fromIssuer.includes(name) || known.includes(name)) return null;
  const k = key(name);
  const words = name.split(/\s+/).length;
  const pick = (candidates: readonly string[], limit: number): string | null | undefined => {
    let best: string | null = null;
    let bestD = Infinity;
    let tie = false;
    for (const c of candidates) {
      if (c.split(/\s+/).length !== words) continue;
      const d = levenshtein.get(k, key(c));
      if (d < bestD) [best, bestD, tie] = [c, d, false];
      else if (d === bestD && c !== best) tie = true;
    }
    if (best === null || bestD > limit) return undefined;
    return tie ? null : best;
  };
  const issuerPick = pick(fromIssuer, Math.max(1, Math.floor(k.length / 4)));
  if (issuerPick) return { value: prefix + issuerPick, rule: 'place-from-issuer' };
  if (issuerPick === null) return null;
  const listPick = pick(known, k.length >= 6 ? 1 : 0);
  if (listPick) return { value: prefix + listPick, rule: 'place-from-list' };
  return null;
}

/**
 * A number whose `/` OCR read as `-` (`123-KH-SNV`): administrative numbers
 * join number and symbol with `/`; party documents (`91-KL/TU`) have a `/`
 * later, so a number without any `/` gets it back at its first `-`.
 */
export function numberSeparator(number: string): string {
  if (number.includes('/')) return number;
  const m = /^(\d+)-(\p{Lu}[\p{L}\d]*(?:-[\p{L}\d]+)*)$/u.exec(number);
  return m ? `${m[1]}/${m[2]}` : number;
}

// Real words one letter from `năm` that may stand before a number.
const NEAR_NAM = new Set(['nay', 'này', 'nảy', 'nấy', 'nạn', 'nan', 'nàn', 'nam', 'nấm', 'năm']);

/** `năm` back in `tài liệu năn 2026`: the word before a year, a letter from `năm`, that is no other word. */
export function yearWord(text: string): string {
  return text.replace(/(^|\s)(n\p{L}{1,3})(\s+)((?:19|20)\d\d)(?!\d)/gu, (all, lead: string, word: string, space: string, year: string) => {
    // Only a word that carries a mark, but a wrong one: text without diacritics keeps its `nam`, `nim`.
    if (NEAR_NAM.has(word) || fold(word) === word) return all;
    // One letter off, or two when the breve of `ă` survived (`năny`): no other word is spelt so before a year.
    const d = levenshtein.get(fold(word).toLowerCase(), 'nam');
    if (d > 1 && !(d === 2 && /^n[ăắằẳẵặ]/u.test(word) && !/^n\p{L}ng$/u.test(word))) return all;
    return `${lead}năm${space}${year}`;
  });
}

/**
 * `UBND tỉnh`, `HĐND tỉnh` in a recipient, where OCR put a wrong mark on `tỉnh`
 * (`UBND tính`): after the name of a people's council or committee only the level can stand.
 */
export function recipientLevel(text: string): string {
  return text.replace(/((?:UBND|HĐND|Ủy ban nhân dân|Hội đồng nhân dân)\s+)(tính|tình|tịnh|tĩnh|tinh̉)(?=$|[\s,.;:)])/gu, '$1tỉnh');
}

/** `(b/c)` (để báo cáo) at the end of a recipient, read as `(b/©)`, `(bíc)`, `(b/O)`, `(b C)`. */
export function reportMark(text: string): string {
  return text.replace(/\(\s*b\s*[/\\|!íìil1]?\s*[cC©Oo0eé]\s*[)}\]]\s*[:;.,]*$/u, '(b/c)');
}

/** `Lưu: VT, …`: the archive line always names the văn thư (VT) first; OCR reads it `VI`, `V1`, `VỀ`. */
export function archiveMark(text: string): string {
  // `V` then one mark OCR gives for `T`: `I`, `l`, `1`, `|`, or a letter no abbreviation has (`VỀ`).
  // The damaged line is given in the standard's form, `Lưu: VT`; an intact `Lưu VT` stays as printed.
  return text.replace(/^(?:Lưu|Luu)\s*[:;.]?\s*V(?:[Il1|]|[^A-Za-z\d\s,.;:])(?=[\s,.;]|$)/u, 'Lưu: VT');
}

/**
 * Apply the rules above to a document's metadata.
 *
 * @param metadata Fields as read.
 * @returns The fields with damage undone, and `normalized` listing each change (absent when none).
 */
export function normalizeMetadata(metadata: Metadata): Metadata {
  const changes: Normalization[] = [...(metadata.normalized ?? [])];
  const note = (field: string, read: string, value: string, rule: Rule) => {
    if (read !== value) changes.push({ field, read, value, rule });
    return value;
  };
  let issuer = metadata.issuer;
  if (issuer) {
    const name = note('issuer.name', issuer.name, canonicalAdminWords(issuer.name), 'admin-level');
    const parent = issuer.parent === null ? null : note('issuer.parent', issuer.parent, canonicalAdminWords(issuer.parent), 'admin-level');
    issuer = { name, parent };
  }
  const number = metadata.number === null ? null : note('number', metadata.number, numberSeparator(metadata.number), 'number-separator');
  let place = metadata.place;
  if (place !== null) {
    const snapped = snapPlace(place, issuer ? issuerPlaces([issuer.parent ?? '', issuer.name]) : []);
    if (snapped) place = note('place', place, snapped.value, snapped.rule);
  }
  const title = metadata.title === null ? null : note('title', metadata.title, yearWord(metadata.title), 'year-word');
  const recipients = metadata.recipients.map((r, i) => {
    const level = note(`recipients[${i}]`, r, recipientLevel(r), 'admin-level');
    const marked = note(`recipients[${i}]`, level, reportMark(level), 'report-mark');
    return note(`recipients[${i}]`, marked, archiveMark(marked), 'archive-mark');
  });
  const out: Metadata = { ...metadata, issuer, number, place, title, recipients };
  if (changes.length > 0) out.normalized = changes;
  else delete out.normalized;
  return out;
}
