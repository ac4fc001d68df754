/**
 * Header and footer of a Vietnamese administrative document, laid out as
 * Nghị định 30/2020/NĐ-CP prescribes: issuer (top left) and national motto
 * (top right), number/symbol and place/date, type and title (trích yếu), then
 * at the end the recipients (Nơi nhận, bottom left) and the signature block
 * (bottom right). OCR of the two columns often puts both on one line; the
 * parsers below cut such lines apart.
 */
import type { AttachedTo, Issuer, Metadata, Signer } from '../../model/structure.js';
import { fold, letterCount, upperRatio } from './fold.js';
import { isBlank, joinText, type SourceLine } from './lines.js';
import { parseBullet, parseMarker } from './markers.js';
import { canonicalType, findCitations, isoDate, NUMBER } from './references.js';
import { appendixLabel } from './appendices.js';

/** Canonical names of document types printed as the type line of a header. */
export const HEADER_TYPES = [
  'Quyết định', 'Kế hoạch', 'Chương trình', 'Báo cáo', 'Thông báo', 'Tờ trình', 'Nghị quyết', 'Chỉ thị',
  'Hướng dẫn', 'Quy chế', 'Quy định', 'Đề án', 'Phương án', 'Công điện', 'Giấy mời', 'Biên bản', 'Kết luận',
  'Thông tư', 'Nghị định', 'Công văn', 'Thông tri', 'Điều lệ', 'Dự án', 'Giấy giới thiệu', 'Lệnh',
];

/** Document kinds by the code that opens their symbol (`KH` in `139/KH-CĐYT`). */
const SYMBOL_TYPES: Record<string, string> = {
  QD: 'Quyết định', KH: 'Kế hoạch', CTr: 'Chương trình', BC: 'Báo cáo', TB: 'Thông báo', TTr: 'Tờ trình',
  NQ: 'Nghị quyết', CT: 'Chỉ thị', HD: 'Hướng dẫn', QC: 'Quy chế', QyD: 'Quy định', DA: 'Đề án', PA: 'Phương án',
  CD: 'Công điện', GM: 'Giấy mời', BB: 'Biên bản', KL: 'Kết luận', TT: 'Thông tư', 'ND': 'Nghị định',
};

const ADMIN_LEVEL = /^(TINH|THANH PHO|HUYEN|QUAN|XA|PHUONG|THI XA|THI TRAN|TP\.?)\b/i;

function letters(text: string): string {
  return fold(text).toLowerCase().replace(/[^a-z0-9]/g, '');
}

const TYPE_KEYS = new Map(HEADER_TYPES.map((t) => [letters(t), t]));

/**
 * Canonical document type when the line is a header type line (`KẾ HOẠCH`,
 * OCR'd `KE HOACH` or `Ké hoach`); null otherwise. The operative `QUYẾT ĐỊNH:`
 * of a decision (with its colon) is not a type line.
 *
 * @param text One line.
 */
export function typeLine(text: string, anyCase = false): string | null {
  const t = text.trim();
  if (/:$/.test(t) || letterCount(t) < 4) return null;
  const key = letters(t).replace(/[jl!]/g, 'i').replace(/0/g, 'o');
  const type = TYPE_KEYS.get(key);
  if (!type) return null;
  // Printed in capitals; inside a header, OCR may have lost them (`Ké hoach`).
  return anyCase || upperRatio(t) >= 0.5 ? type : null;
}

/** True for the operative line of a decision (`QUYẾT ĐỊNH:`, `QUYẾT NGHỊ:`). */
export function isOperativeLine(text: string): boolean {
  const t = text.trim();
  return /:$/.test(t) && upperRatio(t) >= 0.8 && t.split(/\s+/).length <= 3;
}

/** Result of cutting the national motto out of a header line. */
export interface MottoCut {
  /** Motto text found on the line (right column), or null. */
  motto: string | null;
  /** What is left of the line (left column). */
  rest: string;
}

/**
 * Cut the national motto (`CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM`, `Độc lập - Tự do - Hạnh phúc`)
 * out of a line; OCR of a two-column header puts it after the issuer on the same line.
 *
 * @param text One line.
 */
export function cutMotto(text: string): MottoCut {
  const f = fold(text);
  const m =
    /c[o0]ng\s*h[o0]a\s+x[a4]\s+h[o0]i(\s+ch[uư]\s+ngh[il1]a)?/i.exec(f) ??
    /d[o0]c\s*\S?\s*[l|1i]?[a4]p\s*[-–.,]?\s*t\S{0,2}\s*d[o0]\s*[-–.,]?\s*h\S{1,3}nh\s*ph\S{1,2}c/i.exec(f) ??
    /\bd[o0]c\s+l[a4]p\b/i.exec(f);
  if (!m) return { motto: null, rest: text };
  return { motto: text.slice(m.index).trim(), rest: text.slice(0, m.index).trim() };
}

/** Number line: `Số: 271/QĐ-UBND`, OCR'd `S6: 36 /KH-UBND`. */
export function readNumber(text: string): { number: string; end: number } | null {
  const f = fold(text);
  // The Số field always separates number and symbol with `/`; OCR may read it as `.`, `,` or `“`.
  const m = new RegExp(`^\\s*S[o0-9&e]?\\S?\\s*[:;.]?\\s*${NUMBER.replace('([\\/-])', '([^\\sA-Za-z0-9])')}`).exec(f);
  if (!m) {
    // A number left blank to be filled in by hand (`Số:      /KH-SNV`): the symbol is printed.
    const blank = /^\s*S[o0-9&e]?\S?\s*:\s*(\/\s*[A-Z][A-Za-z0-9]*(?:-[A-Z0-9][A-Za-z0-9]*)*)/.exec(f);
    if (!blank) return null;
    return { number: text.slice(blank.index + blank[0].length - blank[1].length, blank.index + blank[0].length).replace(/\s+/g, ''), end: blank.index + blank[0].length };
  }
  const serial = m[1];
  const year = m[2];
  const symbol = text.slice(m.index + m[0].length - m[4].length, m.index + m[0].length);
  return {
    number: `${serial}${year ? `/${year}` : ''}${m[3] === '-' ? '-' : '/'}${symbol}`.replace(/\s+/g, '').replace(/–/g, '-'),
    end: m.index + m[0].length,
  };
}

/** A digit as OCR may print it in a date (`1O`, `l2`, `2O26`). */
const DIGIT = '[\\dOoIl|]';

/**
 * Place and date: `Khánh Hòa, ngày 29 tháng 01 năm 2024`. The words may be
 * damaged (`ngáy`, `năn`) and the digits read as letters (`1O`, `2O26`);
 * when a digit had to be read back, `digitsRead` holds the date as printed.
 */
export function readPlaceDate(text: string): { place: string | null; date: string | null; digitsRead?: string } | null {
  const f = fold(text);
  const m =
    new RegExp(`(?:^|\\s)([^,]*?)\\s*,?\\s*ng\\S{1,3}\\s+(${DIGIT}{1,2}|)\\s*th\\S{2,4}\\s+(${DIGIT}{1,2})\\s*,?\\s+n\\S{1,3}\\s+(${DIGIT}{4})(?![\\dOoIl|])`, 'i').exec(f) ??
    /(?:^|\s)([^,]*?)\s*,\s*ng\S{1,3}\s+(\d{1,2})\s*\/\s*(\d{1,2})\s*\/\s*(\d{4})/i.exec(f);
  if (!m) return null;
  // A day left blank for the signature date (`ngày      tháng 02 năm 2026`) gives no date, but the place stands.
  const start = m.index + m[0].indexOf(m[1]);
  const place = text.slice(start, start + m[1].length).replace(/[,\s]+$/, '').trim();
  const digits = [m[2], m[3], m[4]].map((d) => d.replace(/[Oo]/g, '0').replace(/[Il|]/g, '1'));
  const out: { place: string | null; date: string | null; digitsRead?: string } = { place: place.length > 0 ? place : null, date: isoDate(digits[0], digits[1], digits[2]) };
  if (digits.join() !== [m[2], m[3], m[4]].join() && out.date !== null) out.digitsRead = text.slice(start + m[1].length, m.index + m[0].length).replace(/^[,\s]+/, '');
  return out;
}

/**
 * A place of issue is a short name (`Hòa Lâm`, `Quận 1`, `TP. Hồ Chí Minh`),
 * not a sentence that cites a date (`Thực hiện Quyết định số 456/QĐ-UBND ngày …`).
 */
function plausiblePlace(place: string | null): boolean {
  if (place === null) return true;
  return !/[/:;]/.test(place) && place.split(/\s+/).length <= 6 && !BODY_START.test(fold(place)) && !/\b(so|ngay)\b/i.test(fold(place));
}

/** True for the `Nơi nhận:` label, read loosely (OCR damages its marks: `Noi nhan`, `Nơi nhân`). */
export function isRecipientsLabel(text: string): boolean {
  return /^\s*N\S{1,2}i\s+nh\S{1,2}n\s*[:;.]?/i.test(fold(text));
}

const AUTHORITY = /^\s*(TM|KT|TL|TUQ|Q)\s*\.\s*(\S.*)$/;
const POSITION = /^(PHO\s+)?(CHU TICH|GIAM DOC|PHO GIAM DOC|TRUONG BAN|TRUONG PHONG|HIEU TRUONG|PHO HIEU TRUONG|BO TRUONG|THU TRUONG|VIEN TRUONG|CHANH VAN PHONG|TONG GIAM DOC|BI THU|TRUONG|THU TUONG|CHANH AN|VIEN TRUONG|CUC TRUONG|TONG CUC TRUONG|KT\.)/i;

/**
 * Split a recipients line that also carries the signature column
 * (`- Như Điều 3; TM. ỦY BAN NHÂN DÂN`).
 */
function splitSignatureColumn(text: string): [string, string | null] {
  const m = /\s(TM|KT|TL|TUQ|Q)\s*\.\s+\p{Lu}/u.exec(text);
  if (m && m.index > 0) return [text.slice(0, m.index).trim(), text.slice(m.index).trim()];
  // `- Như trên;   PHÓ CHỦ TỊCH`: the position printed in the right column.
  const p = /[;,.:]?\s+((?:PHO\s+)?(?:CHU TICH|GIAM DOC|HIEU TRUONG|TRUONG BAN|TRUONG PHONG|BO TRUONG|THU TRUONG|VIEN TRUONG|CHANH VAN PHONG|TONG GIAM DOC|BI THU|CUC TRUONG))\s*$/.exec(fold(text));
  if (p && p.index > 0 && /^\s*[-–+•]/.test(text)) {
    const start = p.index + p[0].indexOf(p[1]);
    return [text.slice(0, start).trim(), text.slice(start).trim()];
  }
  return [text, null];
}

function looksLikeName(text: string): boolean {
  const words = text.trim().split(/\s+/);
  if (words.length < 2 || words.length > 6 || /\d/.test(text)) return false;
  if (/^\(|da ky|ky ten|dong dau/i.test(fold(text))) return false;
  return words.every((w) => /^[\p{Lu}][\p{Ll}]*$/u.test(w));
}

/** Recipients and signature found at the end of a document. */
export interface Tail {
  recipients: string[];
  signer: Signer | null;
}

/**
 * Read the recipients list and the signature block from the lines after the body.
 *
 * @param lines Lines from the end of the body to the end of the document (or its first phụ lục).
 */
export function parseTail(lines: readonly SourceLine[]): Tail {
  const recipients: string[] = [];
  const signatureLines: string[] = [];
  let inRecipients = false;
  for (const l of lines) {
    if (isBlank(l) || l.cells) continue;
    let text = l.text.trim();
    if (isRecipientsLabel(text)) {
      inRecipients = true;
      text = text.replace(/^\s*\S+\s+\S+\s*[:;.]?\s*/, '');
      if (text === '') continue;
    }
    const [left, right] = splitSignatureColumn(text);
    if (right) signatureLines.push(right);
    const bullet = parseBullet(left);
    if (inRecipients && bullet) {
      recipients.push(bullet.rest.replace(/[;.,]+$/, '').trim());
    } else if (inRecipients && recipients.length > 0 && /^\p{Ll}/u.test(left) && !AUTHORITY.test(left)) {
      recipients[recipients.length - 1] = joinText(recipients[recipients.length - 1], left.replace(/[;.,]+$/, ''));
    } else if (left !== '') {
      if (!AUTHORITY.test(left) && !POSITION.test(fold(left)) && !looksLikeName(left)) inRecipients = false;
      signatureLines.push(left);
    }
  }
  return { recipients, signer: readSigner(signatureLines) };
}

function readSigner(lines: readonly string[]): Signer | null {
  let authority: string | null = null;
  let mode: Signer['mode'] = null;
  let position: string | null = null;
  let name: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i];
    const m = AUTHORITY.exec(fold(text));
    if (m && position === null) {
      // `TL. CHỦ TỊCH` then `KT. CHÁNH VĂN PHÒNG`: both lines say in whose name one signs.
      if (authority === null) mode = m[1] as Signer['mode'];
      authority = authority === null ? text.trim() : `${authority} ${text.trim()}`;
      continue;
    }
    if (position === null && (authority !== null || POSITION.test(fold(text))) && upperRatio(text) >= 0.8 && letterCount(text) >= 3) {
      position = text.trim();
      continue;
    }
    // A speck after the name (`Nguyễn Thị Lan Anh.`) is no part of it: a signer's name ends in a letter.
    const bare = text.trim().replace(/[\s.,;:'"`‘’]+$/u, '');
    if (position !== null && name === null && looksLikeName(bare)) {
      name = bare;
    }
  }
  // `TM. ỦY BAN NHÂN DÂN` and `CHỦ TỊCH` printed on one line by some exports.
  if (authority !== null && position === null) {
    const m = /^(.*\S)\s+((?:PHÓ\s+)?CHỦ TỊCH|(?:PHÓ\s+)?GIÁM ĐỐC|(?:PHÓ\s+)?HIỆU TRƯỞNG)$/u.exec(authority);
    if (m && !/^\s*(TM|KT|TL|TUQ|Q)\s*\.\s*$/.test(fold(m[1]))) {
      authority = m[1];
      position = m[2];
    }
  }
  if (authority === null && position === null && name === null) return null;
  return { authority, mode, position, name };
}

/**
 * Issuer from the header lines above the number (motto already cut out): a
 * parent body on the first line(s) and the issuer on the last, except that a
 * line starting with an administrative level (`TỈNH KHÁNH HÒA`) continues the
 * line above (`ỦY BAN NHÂN DÂN`).
 *
 * @param lines Issuer lines, top to bottom.
 */
export function readIssuer(lines: readonly string[]): Issuer | null {
  const units: string[] = [];
  for (const raw of lines) {
    const text = raw.replace(/^[^\p{L}\d]+|[^\p{L}\d.)]+$/gu, '').trim();
    if (letterCount(text) < 2) continue;
    if (units.length > 0 && ADMIN_LEVEL.test(fold(text))) units[units.length - 1] = joinText(units[units.length - 1], text);
    else units.push(text);
  }
  if (units.length === 0) return null;
  return { name: units[units.length - 1], parent: units.length > 1 ? units.slice(0, -1).join(' ') : null };
}

/**
 * Read an attached-to line `(Ban hành kèm theo Quyết định số … ngày … của …)`.
 *
 * @param text The parenthesised text, wrapped lines joined.
 */
export function readAttachedTo(text: string): AttachedTo {
  const [c] = findCitations(text.replace(/^\(|\)$/g, ''));
  const typeMatch = /k\S{0,2}m\s+theo\s+(\S+\s+\S+)/i.exec(fold(text));
  return {
    type: c ? c.type : typeMatch ? canonicalType(typeMatch[1]) : 'Quyết định',
    number: c ? c.number : null,
    date: c ? c.date : null,
    issuer: c ? c.issuer : null,
    text: text.trim(),
  };
}

/** True when the line opens an attached-to note `(Ban hành kèm theo …` / `(Kèm theo …`. */
export function isAttachedToStart(text: string): boolean {
  return /^\s*\((ban\s+hanh\s+)?k\S{0,2}m\s+theo\b/i.test(fold(text));
}

const BODY_START = /^(Can cu|Nham|Thuc hien|Theo de nghi|Kinh gui|Xet de nghi|De trien khai|Trien khai|Ngay \d)/i;

/** Header fields and where the body starts. */
export interface Header {
  metadata: Omit<Metadata, 'recipients' | 'signer'>;
  /** Index (into the lines given) of the first body line. */
  bodyStart: number;
}

/**
 * Read the header block of a document.
 *
 * @param lines Lines of the document, from its first line.
 */
export function parseHeader(lines: readonly SourceLine[]): Header {
  const motto: string[] = [];
  const issuerLines: string[] = [];
  let number: string | null = null;
  let place: string | null = null;
  let date: string | null = null;
  let dateRead: string | null = null;
  let type: string | null = null;
  let symbolType: string | null = null;
  const title: string[] = [];
  let vv = false;
  let attached: string | null = null;
  let authority: string | null = null;
  let i = 0;
  let state: 'top' | 'title' | 'after' = 'top';
  const limit = Math.min(lines.length, 40);
  const pending: string[] = []; // lines that may turn out to be the title of an untyped attached document
  let pendingFrom = -1;
  for (; i < limit; i++) {
    const l = lines[i];
    if (l.cells) break;
    let text = l.text.trim();
    if (text === '') {
      if (state === 'title' && title.length > 0) state = 'after';
      continue;
    }
    if (/^[-_=*.~\s]+$/.test(text)) continue; // rules under the issuer and the motto
    if (state === 'top' && appendixLabel(text)) break; // a file that starts with its phụ lục has no header
    if (isAttachedToStart(text)) {
      let j = i;
      let joined = text;
      while (!joined.includes(')') && j + 1 < lines.length && j - i < 4) {
        j++;
        if (!isBlank(lines[j])) joined = joinText(joined, lines[j].text.trim());
      }
      attached = joined;
      if (title.length === 0 && pending.length > 0) title.push(...pending);
      pending.length = 0;
      i = j;
      state = 'after';
      continue;
    }
    if (state === 'top') {
      const cut = cutMotto(text);
      if (cut.motto) {
        motto.push(cut.motto);
        text = cut.rest;
        if (text === '') continue;
      }
      const num = readNumber(text);
      if (num) {
        number = num.number;
        const code = /^([A-Za-zĐđ]+)/.exec(num.number.split(/[/-]/).slice(1).join('-'))?.[1];
        if (code) symbolType = SYMBOL_TYPES[fold(code)] ?? null;
        const pd = readPlaceDate(text.slice(num.end));
        if (pd && plausiblePlace(pd.place)) {
          ({ place, date } = pd);
          if (pd.digitsRead) dateRead = pd.digitsRead;
        }
        continue;
      }
      const pd = readPlaceDate(text);
      if (pd && text.length < 80 && plausiblePlace(pd.place)) {
        ({ place, date } = pd);
        if (pd.digitsRead) dateRead = pd.digitsRead;
        continue;
      }
      const t = typeLine(text, issuerLines.length > 0 || number !== null || date !== null || motto.length > 0);
      if (t) {
        type = t;
        state = 'title';
        continue;
      }
      if (/^V\/v\b/i.test(fold(text))) {
        vv = true;
        title.push(text.replace(/^V\/v\.?\s*/i, ''));
        state = 'title';
        continue;
      }
      if (
        number === null &&
        date === null &&
        upperRatio(text) >= 0.7 &&
        letterCount(text) >= 3 &&
        text.length < 70 &&
        !parseMarker(text) &&
        !/^\s*S[o0-9&e]?\S?\s*:/.test(fold(text)) // an unreadable `Số:` line is no issuer
      ) {
        issuerLines.push(text);
        continue;
      }
      if (parseMarker(text) || BODY_START.test(fold(text)) || text.length > 120) break;
      if (pending.length === 0) pendingFrom = i;
      pending.push(text);
      if (pending.length > 3) break;
      continue;
    }
    if (state === 'title') {
      if (vv && /^Kinh gui/i.test(fold(text))) break;
      const pd = text.length < 80 ? readPlaceDate(text) : null;
      if (pd && date === null && plausiblePlace(pd.place)) {
        // A Công văn prints its place and date under (or beside) the V/v line.
        ({ place, date } = pd);
        if (pd.digitsRead) dateRead = pd.digitsRead;
        continue;
      }
      if (parseMarker(text) || BODY_START.test(fold(text))) break;
      // The trích yếu is a few short centred lines; a long line, or one opening a list, is the body.
      const longest = Math.max(0, ...title.map((x) => x.length));
      if (text.length > 120 || (title.length > 0 && text.length > 70 && text.length > 1.25 * longest) || /:$/.test(text)) break;
      if (title.length > 0 && upperRatio(text) >= 0.8 && letterCount(text) >= 6 && upperRatio(title[title.length - 1]) < 0.8) {
        state = 'after';
        i--;
        continue;
      }
      title.push(text);
      continue;
    }
    // After the title: an authority line of a decision, the operative word, then the body.
    if (authority === null && upperRatio(text) >= 0.8 && letterCount(text) >= 6 && !parseMarker(text) && !typeLine(text)) {
      const next = lines.slice(i + 1).find((x) => !isBlank(x));
      if (next && (/^Can cu/i.test(fold(next.text.trim())) || isOperativeLine(next.text))) {
        authority = text;
        continue;
      }
    }
    if (isOperativeLine(text)) continue;
    break;
  }
  if (pending.length > 0) i = pendingFrom;
  if (i >= limit && state === 'top' && type === null && number === null) i = 0;
  return {
    metadata: {
      issuer: readIssuer(issuerLines),
      motto,
      number,
      place,
      date,
      type: type ?? symbolType ?? (vv ? 'Công văn' : null),
      title: title.length > 0 ? title.reduce((a, b) => joinText(a, b)) : null,
      authority,
      attachedTo: attached ? readAttachedTo(attached) : null,
      ...(dateRead !== null && date !== null ? { normalized: [{ field: 'date', read: dateRead, value: date, rule: 'date-words' as const }] } : {}),
    },
    bodyStart: i,
  };
}
