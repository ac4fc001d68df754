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

/** A certain fix of a code token, or undefined when it should stay as it is. */
export function repairCode(code: string): string | undefined {
  let fixed = code.replace(ETH, 'Đ');
  const parts = fixed.split(/([/-])/u);
  for (let index = 0; index < parts.length; index += 2) {
    const part = parts[index];
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
