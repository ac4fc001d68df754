/**
 * Cited documents: `Quyết định số 4831/QĐ-UBND ngày 24 tháng 12 năm 2021 của
 * Ủy ban nhân dân tỉnh Khánh Hòa`, `Nghị quyết số 76/NQ-CP ngày 15/7/2021`,
 * `Kết luận số 91-KL/TU`, `Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015`.
 *
 * Patterns run on the diacritic fold (OCR keeps the consonants better than the
 * marks: `Quyét dinh s6 749/QD-TTg`), values are cut from the original text.
 */
import levenshtein from 'fast-levenshtein';
import type { Citation, Reference } from '../../model/structure.js';
import { fold } from './fold.js';

/** Canonical names of the document kinds that are cited with a number, longest first. */
export const DOCUMENT_TYPES = [
  'Thông tư liên tịch',
  'Chương trình hành động',
  'Nghị quyết liên tịch',
  'Quyết định',
  'Nghị quyết',
  'Nghị định',
  'Thông tư',
  'Chỉ thị',
  'Kết luận',
  'Kế hoạch',
  'Chương trình',
  'Công văn',
  'Văn bản',
  'Thông báo',
  'Báo cáo',
  'Tờ trình',
  'Hướng dẫn',
  'Quy định',
  'Quy chế',
  'Đề án',
  'Công điện',
  'Pháp lệnh',
  'Lệnh',
  'Thông tri',
  'Quy định',
  'Bộ luật',
  'Luật',
];

// OCR-tolerant pattern for a folded type name: `i` may be read as `j`/`l`/`!`, `o` as `0`.
function typePattern(name: string): string {
  return fold(name)
    .split(' ')
    .map((w) =>
      w
        .split('')
        .map((c) => (c === 'i' ? '[ijl!]' : c === 'o' ? '[o0]' : c))
        .join(''),
    )
    .join('\\s+');
}

const TYPE_ALT = [...new Set(DOCUMENT_TYPES)].map(typePattern).join('|');
const SO = '(?:s[o0-9e&]\\s*[:.]?\\s*)?';
/** Number and symbol: `4831/QD-UBND`, `55/2022/QH15`, `09-NQ/TW`, `23/CT- TTg`. */
export const NUMBER = '(\\d{1,6}[a-z]?)\\s*(?:\\/\\s*(\\d{4})\\s*)?([\\/-])\\s*([A-Z][A-Za-z0-9]*(?:\\s?[-–]\\s*[A-Z0-9][A-Za-z0-9]*)*(?:\\s?\\/\\s?[A-Z][A-Za-z0-9]*(?:-[A-Z0-9][A-Za-z0-9]*)*)?)';
const DATE_NUM = '(\\d{1,2})\\s*[\\/.-]\\s*(\\d{1,2})\\s*[\\/.-]\\s*(\\d{4})';
const DATE_WORDS = '(\\d{1,2})\\s+th\\S{2,4}\\s+(\\d{1,2})\\s*,?\\s+n\\S{1,2}m\\s+(\\d{4})';
const DATE = `(?:ng\\S{1,3}\\s+(?:${DATE_NUM}|${DATE_WORDS}))`;

const CITED = new RegExp(
  `(?<![A-Za-z])(${TYPE_ALT})\\s+${SO}${NUMBER}(?:\\s*,?\\s*${DATE})?(?:\\s*,?\\s*c\\S{1,2}a\\s+)?`,
  'gi',
);
const NEXT_CITATION = new RegExp(`\\s(?:va\\s+)?(?:${TYPE_ALT})\\s`, 'i');
const LAW = new RegExp(
  `(?<![A-Za-z])(Bo luat|Luat)\\s+([^;\\n]{3,120}?)\\s*,?\\s*(?:${DATE}|nam\\s+(\\d{4}))`,
  'g',
);
// Words that end the issuer after `của`: the verb or topic of the citation. Verbs
// never start an issuer name, whatever their case (`Về` after an OCR'd `V&`);
// the short prepositions only end it in lowercase (`Bộ Tài chính` keeps `Tài`).
const ISSUER_END =
  /\s(?:[Bb]an hanh|[Vv]e|[Pp]he duyet|[Qq]uy dinh|[Hh]uong dan|[Tt]rien khai|[Tt]huc hien|[Ss]ua doi|ve viec|tai|doi voi|nham|thi diem|giao|dong y|chi dao|cho phep|kem theo|va cac|cho|tren|theo|trong|den|voi|nhu|de)(?=\s|$)|[;,.()\[\]:]|\s(?=\d)/;

/**
 * ISO date from day, month and year strings; null when not a real date.
 *
 * @param d Day.
 * @param m Month.
 * @param y Year.
 */
export function isoDate(d: string | undefined, m: string | undefined, y: string | undefined): string | null {
  if (!d || !m || !y) return null;
  const day = Number(d);
  const month = Number(m);
  const year = Number(y);
  if (!(day >= 1 && day <= 31 && month >= 1 && month <= 12 && year >= 1945 && year <= 2100)) return null;
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Canonical spelling of a (folded, maybe damaged) type name.
 *
 * @param folded Type name as matched on the fold.
 */
export function canonicalType(folded: string): string {
  const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').replace(/[jl!]/g, 'i').replace(/0/g, 'o');
  const key = norm(folded);
  for (const name of DOCUMENT_TYPES) {
    if (norm(fold(name)) === key) return name;
  }
  return folded;
}

/** One citation found in a text. */
export interface Found {
  type: string;
  number: string | null;
  title: string | null;
  date: string | null;
  issuer: string | null;
  text: string;
  /** Offset of the citation in the searched text. */
  index: number;
}

function cleanNumber(s: string): string {
  return s.replace(/\s+/g, '').replace(/–/g, '-');
}

/** Codes of document kinds in symbols (Nghị định 30/2020/NĐ-CP, Phụ lục III; `KL`, `TT`, `NĐ` of party and legal documents). */
const TYPE_CODES: Record<string, string> = {
  'Nghị quyết': 'NQ', 'Quyết định': 'QĐ', 'Chỉ thị': 'CT', 'Quy chế': 'QC', 'Quy định': 'QyĐ', 'Thông báo': 'TB',
  'Hướng dẫn': 'HD', 'Chương trình': 'CTr', 'Kế hoạch': 'KH', 'Đề án': 'ĐA', 'Báo cáo': 'BC', 'Tờ trình': 'TTr',
  'Công điện': 'CĐ', 'Kết luận': 'KL', 'Thông tư': 'TT', 'Nghị định': 'NĐ',
};
const KNOWN_CODES = new Set(Object.values(TYPE_CODES).map((c) => fold(c)));


/**
 * The kind code of a cited number read one letter off (`88/TTrF-SNV` for a
 * Tờ trình): the code of the kind the citation names, when the code read is
 * one letter from it and no code of another kind. Codes that differ only by
 * marks (`QD` for `QĐ`, text without diacritics) stay as printed; the
 * citation's `text` keeps what was read.
 */
export function typeCode(type: string, number: string): string {
  const code = TYPE_CODES[type];
  const m = /^(\d[^/-]*(?:\/\d{4})?[/-])([^/-]+)(.*)$/u.exec(number);
  if (!code || !m || m[2] === code || fold(m[2]) === fold(code) || KNOWN_CODES.has(fold(m[2]))) return number;
  return levenshtein.get(fold(m[2]), fold(code)) === 1 ? `${m[1]}${code}${m[3]}` : number;
}

function readIssuer(text: string, from: number): string | null {
  let rest = text.slice(from);
  // The issuer never runs into the next citation (`… Chính phủ và Quyết định số …`).
  const next = NEXT_CITATION.exec(fold(rest));
  if (next) rest = rest.slice(0, next.index);
  const m = ISSUER_END.exec(fold(rest));
  let issuer = (m ? rest.slice(0, m.index) : rest).trim();
  const words = issuer.split(/\s+/);
  if (words.length > 14) issuer = words.slice(0, 14).join(' ');
  return issuer.length >= 2 && /^[\p{Lu}]/u.test(issuer) ? issuer : null;
}

/**
 * Find every cited document in one paragraph.
 *
 * @param text Paragraph (wrapped lines joined).
 * @returns Citations in order of appearance.
 */
export function findCitations(text: string): Found[] {
  const f = fold(text);
  const found: Found[] = [];
  for (const m of f.matchAll(CITED)) {
    const index = m.index ?? 0;
    const typeText = m[1];
    // A type name in lowercase inside running text (`theo quyết định số …`) still counts;
    // but `ke hoach` preceded by a letter was excluded by the look-behind.
    const numStart = index + m[0].indexOf(m[2], typeText.length);
    const serial = m[2];
    const year = m[3];
    const sep = m[4];
    const symbolFolded = m[5];
    // Cut the symbol from the original to keep `Đ` and other marks.
    const symbolStart = f.indexOf(symbolFolded, numStart + serial.length);
    const symbol = text.slice(symbolStart, symbolStart + symbolFolded.length);
    const number = cleanNumber(`${serial}${year ? `/${year}` : ''}${sep}${symbol}`);
    const date = isoDate(m[6] ?? m[9], m[7] ?? m[10], m[8] ?? m[11]);
    const end = index + m[0].length;
    const hasCua = /c\S{1,2}a\s+$/i.test(m[0]);
    const issuer = hasCua ? readIssuer(text, end) : null;
    const textEnd = issuer ? end + text.slice(end).indexOf(issuer) + issuer.length : end;
    const type = canonicalType(typeText);
    found.push({
      type,
      number: typeCode(type, number),
      title: null,
      date,
      issuer,
      text: text.slice(index, textEnd).replace(/\s*,?\s*c\S{1,2}a\s*$/u, '').trim(),
      index,
    });
  }
  for (const m of f.matchAll(LAW)) {
    const index = m.index ?? 0;
    const titleStart = index + m[0].indexOf(m[2], m[1].length);
    const title = text.slice(titleStart, titleStart + m[2].length).trim();
    // A law is cited by a capitalised name; `luật` in running text is not a citation.
    // A numbered law (`Luật số 80/2015/QH13`) is read with the other numbered documents.
    if (!/^\p{L}/u.test(title) || /[.:]$/.test(title) || /^s[oố]\s+\d/i.test(title)) continue;
    const date = isoDate(m[3] ?? m[6], m[4] ?? m[7], m[5] ?? m[8]);
    found.push({
      type: m[1] === 'Bo luat' ? 'Bộ luật' : 'Luật',
      number: null,
      title,
      date,
      issuer: null,
      text: text.slice(index, index + m[0].length).trim(),
      index,
    });
  }
  found.sort((a, b) => a.index - b.index);
  // `Thông tư số 26/2019/TT-BTC ngày …, Thông tư số 33/2022/TT-BTC ngày … của Bộ Tài chính`:
  // an issuer printed once after a list of documents of one kind belongs to each of them.
  for (let i = found.length - 2; i >= 0; i--) {
    const a = found[i];
    const b = found[i + 1];
    const between = text.slice(a.index + a.text.length, b.index);
    if (a.issuer === null && b.issuer !== null && a.type === b.type && /^\s*(,|;|\s(và|va)\s)?\s*$/.test(fold(between))) a.issuer = b.issuer;
  }
  return found;
}

/**
 * Merge citations into references: one entry per document (same type and
 * number, or same law title), with every place it is cited.
 *
 * @param found Citations with their places, in reading order.
 */
export function mergeReferences(found: ReadonlyArray<{ found: Found; where: Citation }>): Reference[] {
  const byKey = new Map<string, Reference>();
  for (const { found: c, where } of found) {
    const key = `${c.type}|${c.number ?? fold(c.title ?? '').toLowerCase()}`;
    const ref = byKey.get(key);
    if (!ref) {
      byKey.set(key, {
        type: c.type,
        number: c.number,
        title: c.title,
        date: c.date,
        issuer: c.issuer,
        text: c.text,
        citations: [where],
      });
      continue;
    }
    ref.citations.push(where);
    if (!ref.date && c.date) ref.date = c.date;
    if (!ref.issuer && c.issuer) ref.issuer = c.issuer;
    if (c.text.length > ref.text.length) ref.text = c.text;
  }
  return [...byKey.values()];
}
