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

/** Toned vowel → [bare vowel, tone]. */
const UNTONE = new Map<string, [string, Tone]>();
for (const [bare, forms] of Object.entries(TONED)) {
  [...forms].forEach((form, tone) => UNTONE.set(form, [bare, tone as Tone]));
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
  const forms = TONED[bare];
  return forms === undefined ? bare : [...forms][tone];
}

/** Strip every mark: `Đường` → `Duong` (keeps case). */
export function toAscii(text: string): string {
  let out = '';
  for (const char of text) {
    const lower = char.toLowerCase();
    const plain = ASCII.get(lower);
    if (plain === undefined) out += char;
    else out += lower === char ? plain : plain.toUpperCase();
  }
  return out;
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

/** Build (once per process) the inventory of Vietnamese syllables. */
export function syllableInventory(): SyllableInventory {
  if (cached) return cached;
  const canonicalOf = new Map<string, string>();
  const list: string[] = [];
  for (const onset of ONSETS) {
    for (const rime of RIMES) {
      const bare = spell(onset, rime);
      if (bare === undefined) continue;
      const stop = STOP_FINALS.some((final) => bare.endsWith(final));
      const tones: Tone[] = stop ? [2, 5] : [0, 1, 2, 3, 4, 5];
      for (const tone of tones) {
        const word = applyTone(bare, tone);
        if (canonicalOf.has(word)) continue;
        canonicalOf.set(word, word);
        list.push(word);
        const variant = applyTone(bare, tone, true);
        if (!canonicalOf.has(variant)) canonicalOf.set(variant, word);
      }
    }
  }
  cached = {
    syllables: list,
    has: (syllable) => canonicalOf.get(syllable) === syllable,
    canonical: (syllable) => canonicalOf.get(syllable),
  };
  return cached;
}

/** Canonical spelling of a lowercase NFC syllable, or undefined if it is not one. */
export function canonicalSyllable(syllable: string): string | undefined {
  return syllableInventory().canonical(syllable);
}
