/**
 * The complete inventory of Vietnamese syllables, generated from the
 * phonotactics of the language (onsets × rimes × tones with the spelling
 * rules of the Latin script), not copied from any word list.
 *
 * Tone placement: the inventory spells syllables the way the seed documents
 * do (the "old" placement: `hòa`, `khỏe`, `thủy`); the "new" placement
 * (`hoà`, `khoẻ`, `thuỷ`) is accepted as a variant and mapped to it by
 * {@link canonicalSyllable}, so text in either style counts as correct.
 */

/** Tone index: 0 ngang, 1 huyền, 2 sắc, 3 hỏi, 4 ngã, 5 nặng. */
export type Tone = 0 | 1 | 2 | 3 | 4 | 5;

const TONED: Record<string, string> = {
  a: 'aàáảãạ',
  ă: 'ăằắẳẵặ',
  â: 'âầấẩẫậ',
  e: 'eèéẻẽẹ',
  ê: 'êềếểễệ',
  i: 'iìíỉĩị',
  o: 'oòóỏõọ',
  ô: 'ôồốổỗộ',
  ơ: 'ơờớởỡợ',
  u: 'uùúủũụ',
  ư: 'ưừứửữự',
  y: 'yỳýỷỹỵ',
};

/** Bare vowel → its six toned forms, as an array (indexing a string by tone is not safe for NFC chars). */
const TONED_FORMS = new Map<string, string[]>(Object.entries(TONED).map(([bare, forms]) => [bare, [...forms]]));

/** Toned vowel → [bare vowel, tone]. */
const UNTONE = new Map<string, [string, Tone]>();
for (const [bare, forms] of TONED_FORMS) {
  forms.forEach((form, tone) => UNTONE.set(form, [bare, tone as Tone]));
}

/** Vowel (toned or not) → plain ASCII letter; đ → d. */
const ASCII = new Map<string, string>();
for (const [bare, forms] of Object.entries(TONED)) {
  const plain = bare === 'ă' || bare === 'â' ? 'a' : bare === 'ê' ? 'e' : bare === 'ô' || bare === 'ơ' ? 'o' : bare === 'ư' ? 'u' : bare;
  for (const form of forms) ASCII.set(form, plain);
}
ASCII.set('đ', 'd');

/** True for a lowercase Vietnamese vowel letter, with or without marks. */
export function isVowel(char: string): boolean {
  return UNTONE.has(char);
}

/** Split a lowercase char into its bare vowel and tone (consonants: tone 0). */
export function untoneChar(char: string): [string, Tone] {
  return UNTONE.get(char) ?? [char, 0];
}

/** Put `tone` on a bare vowel. */
export function toneChar(bare: string, tone: Tone): string {
  const forms = TONED_FORMS.get(bare);
  return forms === undefined ? bare : forms[tone];
}

/** UTF-16 code → code of its letter without marks (0: unchanged), for the Latin range Vietnamese uses. */
const ASCII_TABLE = new Uint16Array(0x1f00);
for (const [from, to] of ASCII) {
  ASCII_TABLE[from.charCodeAt(0)] = to.charCodeAt(0);
  const upper = from.toUpperCase();
  if (upper.length === 1) ASCII_TABLE[upper.charCodeAt(0)] = to.toUpperCase().charCodeAt(0);
}

/** Strip every mark: `Đường` → `Duong` (keeps case). */
export function toAscii(text: string): string {
  let changed = false;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code >= 128 && code < 0x1f00 && ASCII_TABLE[code] !== 0) {
      changed = true;
      break;
    }
  }
  if (!changed) return text;
  const codes = new Array<number>(text.length);
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    const mapped = code < 0x1f00 ? ASCII_TABLE[code] : 0;
    codes[i] = mapped === 0 ? code : mapped;
  }
  return String.fromCharCode(...codes);
}

/** Remove the tone but keep the vowel shape: `trường` → `trương`. */
export function stripTone(syllable: string): string {
  let out = '';
  for (const char of syllable) out += untoneChar(char)[0];
  return out;
}

/** The tone of a lowercase syllable (0 when none). */
export function toneOf(syllable: string): Tone {
  for (const char of syllable) {
    const [, tone] = untoneChar(char);
    if (tone !== 0) return tone;
  }
  return 0;
}

const ONSETS = ['', 'b', 'c', 'ch', 'd', 'đ', 'g', 'gh', 'gi', 'h', 'k', 'kh', 'l', 'm', 'n', 'ng', 'ngh', 'nh', 'ph', 'qu', 'r', 's', 't', 'th', 'tr', 'v', 'x'];
const LABIAL = new Set(['b', 'm', 'ph', 'v']);

/**
 * Rimes as spelled after an ordinary onset (medial `o`/`u` included).
 * `iê` is written `yê` without onset and after the medial `u`; that is
 * handled in {@link spell}.
 */
const RIMES = [
  'a', 'ac', 'ach', 'ai', 'am', 'an', 'ang', 'anh', 'ao', 'ap', 'at', 'au', 'ay',
  'ăc', 'ăm', 'ăn', 'ăng', 'ăp', 'ăt',
  'âc', 'âm', 'ân', 'âng', 'âp', 'ât', 'âu', 'ây',
  'e', 'ec', 'em', 'en', 'eng', 'eo', 'ep', 'et',
  'ê', 'êch', 'êm', 'ên', 'ênh', 'êp', 'êt', 'êu',
  'i', 'ia', 'ich', 'im', 'in', 'inh', 'ip', 'it', 'iu',
  'iêc', 'iêm', 'iên', 'iêng', 'iêp', 'iêt', 'iêu',
  'o', 'oc', 'oi', 'om', 'on', 'ong', 'op', 'ot', 'oong', 'ooc',
  'ô', 'ôc', 'ôi', 'ôm', 'ôn', 'ông', 'ôp', 'ôt',
  'ơ', 'ơi', 'ơm', 'ơn', 'ơp', 'ơt',
  'u', 'ua', 'uc', 'ui', 'um', 'un', 'ung', 'up', 'ut',
  'uôc', 'uôi', 'uôm', 'uôn', 'uông', 'uôt',
  'ư', 'ưa', 'ưc', 'ưi', 'ưm', 'ưn', 'ưng', 'ưt', 'ưu',
  'ươc', 'ươi', 'ươm', 'ươn', 'ương', 'ươp', 'ươt', 'ươu',
  'y',
  // medial o
  'oa', 'oac', 'oach', 'oai', 'oam', 'oan', 'oang', 'oanh', 'oao', 'oap', 'oat', 'oay',
  'oăc', 'oăm', 'oăn', 'oăng', 'oăt',
  'oe', 'oen', 'oeo', 'oet',
  // medial u
  'uân', 'uâng', 'uât', 'uây', 'uê', 'uêch', 'uênh', 'uy', 'uya', 'uych', 'uyêt', 'uyên', 'uynh', 'uyp', 'uyt', 'uyu', 'uơ',
];

const STOP_FINALS = ['c', 'ch', 'p', 't'];

/**
 * Syllables of official place names in the languages of the Central
 * Highlands that break the Kinh spelling rules (`Đắk Lắk`, `Bắc Kạn`,
 * `Kon Tum`, `Krông Pắc`, `Plei Ku` in older spelling).
 */
const PLACE_NAME_SYLLABLES = ['đắk', 'lắk', 'đăk', 'lăk', 'kạn', 'kon', 'krông', 'plei', 'pắc', 'búk', 'glei'];

function hasMedial(rime: string): boolean {
  return /^(o[aăe]|u[âêyơ])/.test(rime);
}

/** Spell onset + rime with the script's rules, or undefined if not allowed. */
function spell(onset: string, rime: string): string | undefined {
  const front = /^[eêiy]/.test(rime) || rime.startsWith('iê');
  if (onset === 'c' && front) return undefined;
  if (onset === 'k' && !front) return undefined;
  if ((onset === 'g' || onset === 'ng') && /^[eêi]/.test(rime)) return undefined;
  if ((onset === 'gh' || onset === 'ngh') && !/^[eêi]/.test(rime)) return undefined;
  if (onset === 'k' && rime.startsWith('y') && rime.length > 1) return undefined;
  if (hasMedial(rime) && (LABIAL.has(onset) || onset === 'gi')) return undefined;
  // after c/k the medial u is spelled with q (quân, not cuân)
  if (/^u[âêyơ]/.test(rime) && (onset === 'c' || onset === 'k')) return undefined;
  if (onset === 'qu') {
    // `qu` already carries the medial u: quân, quê, quyên; plus qua, quen, quốc, qui.
    if (/^u[âêyơ]/.test(rime)) return 'q' + rime;
    if (/^[aăe]/.test(rime) && !hasMedial(rime)) return onset + rime;
    if (rime === 'ôc' || rime === 'i' || rime === 'it') return onset + rime;
    return undefined;
  }
  if (onset === 'gi') {
    if (rime.startsWith('iê')) return 'giê' + rime.slice(2);
    if (rime.startsWith('i')) return 'g' + rime;
    if (rime.startsWith('y')) return undefined;
    return onset + rime;
  }
  if (onset === '' && rime.startsWith('iê')) return 'yê' + rime.slice(2);
  if (rime === 'ia' && onset === '') return 'ia';
  if (rime.startsWith('uyê') || rime === 'y') return onset + rime;
  return onset + rime;
}

/** Index of the vowel that carries the tone in a bare syllable (old placement). */
function toneIndex(chars: string[], newStyle: boolean): number {
  let start = 0;
  // `qu` and `gi` (before another vowel) are onsets, not part of the nucleus.
  const word = chars.join('');
  if (word.startsWith('qu')) start = 2;
  else if (word.startsWith('gi') && chars.length > 2 && isVowel(chars[2])) start = 2;
  const vowels: number[] = [];
  for (let i = start; i < chars.length; i += 1) {
    if (isVowel(chars[i])) vowels.push(i);
    else if (vowels.length > 0) break;
  }
  if (vowels.length === 0) {
    // `gi` + tone (gì), `qu` alone does not occur
    for (let i = chars.length - 1; i >= 0; i -= 1) if (isVowel(chars[i])) return i;
    return -1;
  }
  const shaped = vowels.filter((i) => 'ăâêôơư'.includes(chars[i]));
  if (shaped.length > 0) return shaped[shaped.length - 1];
  const last = vowels[vowels.length - 1];
  const closed = last < chars.length - 1;
  if (closed) return last;
  if (vowels.length === 3) return vowels[1];
  if (vowels.length === 2) {
    const pair = chars[vowels[0]] + chars[vowels[1]];
    if (newStyle && (pair === 'oa' || pair === 'oe' || pair === 'uy')) return vowels[1];
    return vowels[0];
  }
  return vowels[0];
}

/** Put a tone on a bare (toneless) lowercase syllable. */
export function applyTone(bare: string, tone: Tone, newStyle = false): string {
  if (tone === 0) return bare;
  const chars = [...bare];
  const at = toneIndex(chars, newStyle);
  if (at < 0) return bare;
  chars[at] = toneChar(chars[at], tone);
  return chars.join('');
}

// Every letter of a syllable is one UTF-16 unit (all are in the BMP, NFC), so slicing by index is safe.
function placeTone(bare: string, at: number, tone: Tone): string {
  if (tone === 0 || at < 0) return bare;
  return bare.slice(0, at) + toneChar(bare[at], tone) + bare.slice(at + 1);
}

/** The syllable inventory and the variant map, built once. */
export interface SyllableInventory {
  /** Every syllable, lowercase NFC, canonical tone placement. */
  readonly syllables: readonly string[];
  /** Lookup: canonical syllable → true. */
  readonly has: (syllable: string) => boolean;
  /** Lowercase syllable in any accepted spelling → canonical spelling (undefined if none). */
  readonly canonical: (syllable: string) => string | undefined;
}

let cached: SyllableInventory | undefined;

function makeInventory(list: string[], canonicalOf: Map<string, string>): SyllableInventory {
  return {
    syllables: list,
    has: (syllable) => canonicalOf.get(syllable) === syllable,
    canonical: (syllable) => canonicalOf.get(syllable),
  };
}

/** Generate the inventory from the phonotactic rules (about 100 ms cold; the model file stores the result). */
export function generateInventory(): { syllables: string[]; variants: Array<[string, string]> } {
  const canonicalOf = new Map<string, string>();
  const list: string[] = [];
  const variants: Array<[string, string]> = [];
  for (const onset of ONSETS) {
    for (const rime of RIMES) {
      const bare = spell(onset, rime);
      if (bare === undefined) continue;
      const stop = STOP_FINALS.some((final) => bare.endsWith(final));
      const chars = [...bare];
      const oldAt = toneIndex(chars, false);
      const newAt = toneIndex(chars, true);
      for (let tone = 0 as Tone; tone <= 5; tone = (tone + 1) as Tone) {
        if (stop && tone !== 2 && tone !== 5) continue;
        const word = placeTone(bare, oldAt, tone);
        if (canonicalOf.has(word)) continue;
        canonicalOf.set(word, word);
        list.push(word);
        if (newAt !== oldAt) {
          const variant = placeTone(bare, newAt, tone);
          if (!canonicalOf.has(variant)) {
            canonicalOf.set(variant, word);
            variants.push([variant, word]);
          }
        }
      }
    }
  }
  for (const word of PLACE_NAME_SYLLABLES) {
    if (!canonicalOf.has(word)) {
      canonicalOf.set(word, word);
      list.push(word);
    }
  }
  return { syllables: list, variants };
}

/**
 * Use a stored copy of the inventory (from the model file) instead of
 * generating it: loading stays fast. Ignored once the inventory exists.
 */
export function primeInventory(syllables: readonly string[], variants: ReadonlyArray<readonly [string, string]>): void {
  if (cached) return;
  const canonicalOf = new Map<string, string>();
  for (const word of syllables) canonicalOf.set(word, word);
  for (const [variant, word] of variants) if (!canonicalOf.has(variant)) canonicalOf.set(variant, word);
  cached = makeInventory([...syllables], canonicalOf);
}

/** The inventory of Vietnamese syllables (generated once per process unless primed). */
export function syllableInventory(): SyllableInventory {
  if (cached) return cached;
  const { syllables, variants } = generateInventory();
  const canonicalOf = new Map<string, string>();
  for (const word of syllables) canonicalOf.set(word, word);
  for (const [variant, word] of variants) canonicalOf.set(variant, word);
  cached = makeInventory(syllables, canonicalOf);
  return cached;
}

/** Canonical spelling of a lowercase NFC syllable, or undefined if it is not one. */
export function canonicalSyllable(syllable: string): string | undefined {
  return syllableInventory().canonical(syllable);
}
