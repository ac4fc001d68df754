/**
 * Certain repairs of document codes. Only abbreviations that have a single
 * reading are fixed: `QD` is always `QĐ` (quyết định) in a document number,
 * `ND-CP` always `NĐ-CP` (nghị định), `HDND` always `HĐND`. Ambiguous ones
 * (`HD` = hướng dẫn or hợp đồng) are left alone.
 */

/** Parts of a code that only ever mean one thing, written without their đ. */
const ALWAYS: Record<string, string> = {
  QD: 'QĐ',
  HDND: 'HĐND',
  DBQH: 'ĐBQH',
  BCD: 'BCĐ',
  TTDT: 'TTĐT',
};

/** Parts fixed only when an issuer follows (`ND-CP` → `NĐ-CP`). */
const BEFORE_ISSUER: Record<string, string> = {
  ND: 'NĐ',
};
const ISSUERS = new Set(['CP', 'UBND', 'HĐND', 'HDND', 'TTg', 'BNV', 'BTC', 'BCA', 'BQP', 'BTTTT', 'BKHĐT', 'BYT', 'BGDĐT', 'TW', 'TU']);

/** The Icelandic eth (Ð, U+00D0) looks like Đ and OCR engines emit it. */
const ETH = /\u00D0/gu;

/** Letters OCR prints for digits: l, I and | for 1, O for 0. */
function digitsOf(text: string): string {
  return text.replace(/[lI|]/gu, '1').replace(/O/gu, '0');
}

/** A certain fix of a code token, or undefined when it should stay as it is. */
export function repairCode(code: string): string | undefined {
  // `2l/312022` = 21/3/2022: a date with letters for digits, fixed when one reading fits.
  if (/^[\dlI|O/]+$/u.test(code) && /\d.*\d.*\d.*\d/u.test(code) && /[lI|O]/u.test(code)) {
    const digits = digitsOf(code);
    const date = repairDate(digits) ?? (isDate(digits) ? digits : undefined);
    if (date !== undefined) return date;
  }
  let fixed = code.replace(ETH, 'Đ');
  const parts = fixed.split(/([/-])/u);
  for (let index = 0; index < parts.length; index += 2) {
    let part = parts[index];
    // `3O-CTr/TU`, `I8-NQ/TW`: the number of a code, with a letter for a digit.
    if (index === 0 && /\d/u.test(part) && /^[\dlIO]+$/u.test(part) && parts.some((other, k) => k % 2 === 0 && /^\p{Lu}\p{L}+$/u.test(other) && !/^[lIO]+$/u.test(other))) {
      parts[index] = part = digitsOf(part);
    }
    // `LIBND` = UBND: the U of a known issuer read as LI.
    if (part.includes('LI') && ISSUERS.has(part.replace('LI', 'U'))) parts[index] = part = part.replace('LI', 'U');
    const always = ALWAYS[part];
    if (always !== undefined) {
      parts[index] = always;
      continue;
    }
    const beforeIssuer = BEFORE_ISSUER[part];
    if (beforeIssuer !== undefined && parts[index + 1] === '-' && ISSUERS.has(parts[index + 2] ?? '')) {
      parts[index] = beforeIssuer;
    }
  }
  fixed = parts.join('');
  return fixed === code ? undefined : fixed;
}

/** True for day/month/year with a plausible day, month and year. */
function isDate(text: string): boolean {
  const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/u.exec(text);
  if (!match) return false;
  const [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return d >= 1 && d <= 31 && m >= 1 && m <= 12 && y >= 1945 && y <= 2099;
}

/**
 * A date whose slashes the OCR read as the digit 1 (`2311212022` = `23/12/2022`,
 * `16/612022` = `16/6/2022`), or undefined. Fixed only when exactly one
 * reading day/month/year (day 1–31, month 1–12, year 1945–2099, at least one
 * `1` taken for a slash) fits: a real number that long is written with
 * thousands dots, so a bare run of digits with one such reading is a date.
 */
export function repairDate(text: string): string | undefined {
  if (!/^\d[\d/]{6,8}\d$/u.test(text) || !/^\d{1,2}[/1]\d{1,2}[/1]\d{4}$/u.test(text)) return undefined;
  const readings = new Set<string>();
  const year = text.slice(-4);
  const yearValue = Number(year);
  if (text.at(-5) !== '/' && text.at(-5) !== '1') return undefined;
  if (yearValue < 1945 || yearValue > 2099) return undefined;
  const head = text.slice(0, -5);
  for (let dayLength = 1; dayLength <= 2; dayLength += 1) {
    const day = head.slice(0, dayLength);
    const separator = head.charAt(dayLength);
    const month = head.slice(dayLength + 1);
    if (!/^\d{1,2}$/u.test(day) || !/^\d{1,2}$/u.test(month) || (separator !== '/' && separator !== '1')) continue;
    const d = Number(day);
    const m = Number(month);
    if (d < 1 || d > 31 || m < 1 || m > 12) continue;
    readings.add(`${day}/${month}/${year}`);
  }
  if (readings.size !== 1) return undefined;
  const [reading] = readings;
  return reading === text ? undefined : reading;
}
