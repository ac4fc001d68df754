/**
 * Section tree from the markers Vietnamese plans use (`I.`, `1.`, `3.1.`,
 * `a)`, `Điều 1.`), with `-`/`+` items kept as list items of their section and
 * damaged markers put back in sequence (`I1.` → II, `m.` → III, `rv.` → IV, a
 * second printed `V.` → VI). The printed marker is kept beside the number.
 */
import levenshtein from 'fast-levenshtein';
import type { ListItem, MarkerKind, Section, Table } from '../../model/structure.js';
import { upperRatio } from './fold.js';
import { blockPages, toBlocks, type Block, type SourceLine } from './lines.js';
import { isAbbreviation, LETTERS, parseBullet, parseMarker, toRoman, type Marker } from './markers.js';
import { segment, tableFromRun } from './tables.js';

const RANK: Record<MarkerKind, number> = { chapter: 0, article: 1, roman: 1, arabic: 2, decimal: 3, letter: 4 };

/** A paragraph of the body with the section it belongs to. */
export interface PlacedBlock {
  block: Block;
  /** Section path (`II/3/a`), or null in the preamble. */
  path: string | null;
}

/** A table of the body with its section. */
export interface PlacedTable {
  table: Table;
  rowLines: SourceLine[];
  path: string | null;
}

/** Body of a document split into its parts. */
export interface Body {
  preamble: string[];
  sections: Section[];
  closing: string | null;
  /** Every paragraph, placed (for finding citations). */
  blocks: PlacedBlock[];
  tables: PlacedTable[];
}

interface Open {
  section: Section;
  rank: number;
  path: string;
  /** Last child number read per kind, for the sequence check. */
  last: Partial<Record<MarkerKind, string>>;
}

function nextOf(kind: MarkerKind, last: string | undefined, parent: Open | undefined): string {
  if (kind === 'letter') return last === undefined ? 'a' : (LETTERS[LETTERS.indexOf(last) + 1] ?? last);
  if (kind === 'decimal') {
    const base = last ? last.split('.').slice(0, -1).join('.') : (parent?.section.number ?? '1');
    const n = last ? Number(last.split('.').pop()) + 1 : 1;
    return `${base}.${n}`;
  }
  return String(last === undefined ? 1 : Number(last) + 1);
}

/**
 * Put a marker in its sequence.
 *
 * @returns The number to use and whether it was inferred.
 */
export function recoverNumber(marker: Marker, last: string | undefined, parent?: Open): { number: string; recovered: boolean } {
  const expected = nextOf(marker.kind, last, parent);
  const v = marker.value;
  if (v === expected) return { number: v, recovered: false };
  if (v === null) return { number: expected, recovered: true };
  if (v === last) return { number: expected, recovered: true }; // printed twice: the second is the next one
  // A skipped number one edit away from the expected one is a damaged marker (`V.` after III is IV);
  // the first marker of an excerpt has nothing to be compared with and is taken as printed.
  if (marker.kind === 'roman' && last !== undefined && Number(v) > Number(expected) && levenshtein.get(toRoman(Number(v)), toRoman(Number(expected))) <= 1) {
    return { number: expected, recovered: true };
  }
  if (marker.kind === 'arabic' && last !== undefined && !/^\d+[.,]?$/.test(marker.printed.replace(/[.,]$/, ''))) return { number: expected, recovered: true };
  return { number: v, recovered: false };
}

function display(kind: MarkerKind, n: string): string {
  return kind === 'roman' || kind === 'chapter' ? toRoman(Number(n)) : n;
}

/**
 * A short line led by an unreadable token (`vị. TRÁCH nhiệm Trên Khi`, a
 * roman numeral the OCR and the repair turned into a word) right before a
 * list that starts again at `1.`, in a document whose roman sections hold
 * numbered subsections: the heading of the next top-level section.
 */
function restartingHeading(block: Block, next: Block | undefined, roots: readonly Section[]): Marker | null {
  const numbered = roots.filter((r) => r.kind === 'roman' && r.children.some((c) => c.kind === 'arabic')).length;
  if (!next || numbered === 0) return null;
  const m = /^(\S{1,3}?)\s?[.,]\s+(?=\p{Lu})/u.exec(block.text);
  if (!m || isAbbreviation(m[1]) || block.lines.length > 1 || block.text.length > 60 || /[.;:,]$/.test(block.text)) return null;
  const following = parseMarker(next.text);
  if (!following || following.kind !== 'arabic' || following.value !== '1') return null;
  return { kind: 'roman', printed: block.text.slice(0, m[0].length).trim(), value: null, rest: block.text.slice(m[0].length).trim() };
}

/**
 * Build the section tree of a body.
 *
 * @param lines Body lines in reading order (header and signature already removed).
 */
export function buildSectionTree(lines: readonly SourceLine[]): Body {
  const preamble: string[] = [];
  const roots: Section[] = [];
  const stack: Open[] = [];
  const rootLast: Partial<Record<MarkerKind, string>> = {};
  const placed: PlacedBlock[] = [];
  const tables: PlacedTable[] = [];
  const ends = new Map<Section, number>();
  let lastBlock: { block: Block; owner: Section | null } | null = null;

  const touch = (page: number) => {
    for (const o of stack) ends.set(o.section, Math.max(ends.get(o.section) ?? page, page));
  };

  for (const seg of segment(lines)) {
    if (seg.kind === 'table') {
      const { table, rowLines } = tableFromRun(seg.lines);
      const top = stack[stack.length - 1];
      if (top) top.section.tables.push(table);
      tables.push({ table, rowLines, path: top?.path ?? null });
      touch(table.pages.to);
      continue;
    }
    const blocks = toBlocks(seg.lines);
    blocks.forEach((block, index) => {
      // Where roman sections are being numbered, a capitalised heading with an unreadable marker is the next one.
      const numbering = rootLast.roman !== undefined && stack.length > 0;
      const marker = parseMarker(block.text, numbering ? Number(rootLast.roman) + 1 : false) ?? (numbering ? restartingHeading(block, blocks[index + 1], roots) : null);
      const pages = blockPages(block);
      if (marker) {
        const rank = RANK[marker.kind];
        while (stack.length > 0 && stack[stack.length - 1].rank >= rank) stack.pop();
        const parent = stack[stack.length - 1];
        const lastMap = parent ? parent.last : rootLast;
        const read = recoverNumber(marker, lastMap[marker.kind], parent);
        const number = read.number;
        const token =
          marker.kind === 'article' ? (marker.value ?? '') : marker.kind === 'chapter' ? marker.printed.replace(/^\S+\s+|\.$/g, '').toUpperCase() : marker.printed.replace(/\s*[.,)]$/, '');
        // Also flag a marker read leniently (`I1.` for II): what was printed is not the number's regular form.
        const recovered = read.recovered || token !== display(marker.kind, number);
        lastMap[marker.kind] = number;
        const section: Section = {
          marker: marker.printed,
          number: display(marker.kind, number),
          recovered,
          kind: marker.kind,
          level: stack.length + 1,
          heading: marker.rest,
          paragraphs: [],
          items: [],
          tables: [],
          pages,
          children: [],
        };
        if (parent) parent.section.children.push(section);
        else roots.push(section);
        const step = marker.kind === 'article' ? `Điều ${number}` : marker.kind === 'chapter' ? `Chương ${display('chapter', number)}` : display(marker.kind, number);
        const path = parent ? `${parent.path}/${step}` : step;
        stack.push({ section, rank, path, last: {} });
        touch(pages.to);
        placed.push({ block, path });
        lastBlock = { block, owner: null };
        return;
      }
      const top = stack[stack.length - 1];
      placed.push({ block, path: top?.path ?? null });
      touch(pages.to);
      // `Chương I` prints its heading on the next line, in capitals.
      if (top && top.section.heading === '' && top.section.paragraphs.length === 0 && upperRatio(block.text) >= 0.8) {
        top.section.heading = block.text;
        return;
      }
      if (!top) {
        preamble.push(block.text);
        lastBlock = null;
        return;
      }
      const bullet = parseBullet(block.text);
      if (bullet) {
        const item: ListItem = { bullet: bullet.bullet, text: bullet.rest, after: top.section.paragraphs.length };
        top.section.items.push(item);
        lastBlock = null;
      } else {
        top.section.paragraphs.push(block.text);
        lastBlock = { block, owner: top.section };
      }
    });
  }
  // The last paragraph, when it closes the document (`… Kế hoạch này./.`), is no part of the last section.
  let closing: string | null = null;
  // (Assigned inside the loop's callback, which TypeScript's narrowing does not follow.)
  const final = lastBlock as { block: Block; owner: Section | null } | null;
  if (final?.owner && /\.\s*\/\s*\.?\s*$/.test(final.block.text)) {
    const owner = final.owner;
    // A short heading whose only text is that paragraph (`III. PHƯƠNG HƯỚNG NĂM 2026`) keeps it as its content.
    const onlyContent = owner.heading.length < 60 && owner.paragraphs.length === 1 && owner.items.length === 0 && owner.children.length === 0 && owner.tables.length === 0;
    if (!onlyContent && owner.paragraphs[owner.paragraphs.length - 1] === final.block.text && owner.items.every((it) => it.after < owner.paragraphs.length)) {
      closing = owner.paragraphs.pop() ?? null;
      const entry = placed.find((p) => p.block === final.block);
      if (entry) entry.path = null;
    }
  }
  const fix = (s: Section) => {
    s.pages = { from: s.pages.from, to: Math.max(s.pages.to, ends.get(s) ?? s.pages.to) };
    s.children.forEach(fix);
  };
  roots.forEach(fix);
  return { preamble, sections: roots, closing, blocks: placed, tables };
}
