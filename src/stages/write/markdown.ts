/**
 * Readable Markdown from a `Doc`: the header fields, sections as headings,
 * list items as lists, phụ lục and other tables as Markdown tables (one row per
 * line, cells in column order), then recipients and signature. Without a
 * structure (the structure stage did not run) the page lines are printed, with
 * runs of `table-row` lines as tables.
 */
import type { Doc, Line } from '../../model/doc.js';
import type { Appendix, MarkerKind, Part, Section, Table } from '../../model/structure.js';

/**
 * Render a document as Markdown.
 *
 * @param doc Converted document.
 * @returns Markdown text ending in a newline.
 */
export function renderMarkdown(doc: Doc): string {
  const body = doc.structure
    ? [doc.structure, ...doc.structure.attached].map(renderPart).join('\n\n---\n\n')
    : doc.pages.map((page) => renderLines(page.lines)).join('\n\n---\n\n');
  return `${body.replace(/\n{3,}/g, '\n\n').trim()}\n`;
}

// Text that Markdown would read as syntax at the start of a line (`1.` list, `#` heading, `>` quote).
function escapeStart(text: string): string {
  return text.replace(/^(\d+)\.(\s)/, '$1\\.$2').replace(/^([#>+*=])/, '\\$1').replace(/^-(\s)/, '\\-$1');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, '<br>').trim();
}

/**
 * A Markdown table; a table without a header row gets numbered column names
 * because Markdown tables need one.
 */
function renderTable(columns: readonly string[], rows: readonly (readonly string[])[]): string {
  const width = Math.max(columns.length, ...rows.map((r) => r.length), 1);
  const head = columns.length > 0 ? [...columns] : Array.from({ length: width }, (_, i) => `Cột ${i + 1}`);
  while (head.length < width) head.push('');
  const line = (cells: readonly string[]) => `| ${Array.from({ length: width }, (_, i) => cell(cells[i] ?? '')).join(' | ')} |`;
  return [line(head), `|${' --- |'.repeat(width)}`, ...rows.map(line)].join('\n');
}

function renderTableBlock(table: Table): string {
  const low = table.reliability.some((r) => r === 'low');
  const note = low ? '\n\n*Bảng đọc từ văn bản OCR cũ, các cột bị đọc lẫn: cần đối chiếu bản gốc.*' : '';
  return `${renderTable(table.columns, table.rows)}${note}`;
}

function renderLines(lines: readonly Line[]): string {
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    if (lines[i].kind === 'table-row') {
      const rows: string[][] = [];
      while (i < lines.length && lines[i].kind === 'table-row') {
        const l = lines[i++];
        rows.push(l.cells ?? l.text.split('\t'));
      }
      const [head, ...rest] = rows;
      out.push('', renderTable(head, rest), '');
      continue;
    }
    out.push(escapeStart(lines[i++].text));
  }
  return out.join('\n');
}

const SUFFIX: Record<MarkerKind, string> = { chapter: '', article: '.', roman: '.', arabic: '.', decimal: '.', letter: ')' };

function markerOf(s: Section): string {
  if (s.kind === 'chapter') return `Chương ${s.number}.`;
  return s.kind === 'article' ? `Điều ${s.number}.` : `${s.number}${SUFFIX[s.kind]}`;
}

function renderSection(s: Section): string {
  const out: string[] = [];
  const marker = markerOf(s);
  // A paragraph that merely starts with a number reads badly as a heading.
  if (s.heading.length <= 80) out.push(`${'#'.repeat(Math.min(s.level + 1, 6))} ${marker} ${s.heading}`);
  else out.push(`**${marker}** ${s.heading}`);
  let item = 0;
  const items = (upTo: number) => {
    const lines: string[] = [];
    while (item < s.items.length && s.items[item].after <= upTo) {
      const it = s.items[item++];
      lines.push(`${it.bullet === '+' ? '  ' : ''}- ${it.text}`);
    }
    if (lines.length > 0) out.push(lines.join('\n'));
  };
  items(0);
  s.paragraphs.forEach((p, k) => {
    out.push(escapeStart(p));
    items(k + 1);
  });
  items(Number.POSITIVE_INFINITY);
  for (const t of s.tables) out.push(renderTableBlock(t));
  for (const c of s.children) out.push(renderSection(c));
  return out.join('\n\n');
}

function vietnameseDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `ngày ${d} tháng ${m} năm ${y}`;
}

function renderAppendix(a: Appendix): string {
  const out = [`## ${a.label}`];
  if (a.heading) out.push(`**${a.heading}**`);
  if (a.note) out.push(`*${a.note}*`);
  for (const p of a.paragraphs) out.push(escapeStart(p));
  for (const t of a.tables) out.push(renderTableBlock(t));
  return out.join('\n\n');
}

function renderPart(p: Part): string {
  const m = p.metadata;
  const out: string[] = [];
  const head: string[] = [];
  if (m.issuer?.parent) head.push(m.issuer.parent);
  if (m.issuer) head.push(`**${m.issuer.name}**`);
  if (m.number) head.push(`Số: ${m.number}`);
  if (m.place || m.date) head.push([m.place, m.date ? vietnameseDate(m.date) : null].filter(Boolean).join(', '));
  if (head.length > 0) out.push(head.join('  \n'));
  if (m.type) out.push(`# ${m.type.toUpperCase()}`);
  if (m.title) out.push(m.type ? `**${m.title}**` : `# ${m.title}`);
  if (m.attachedTo) out.push(`*${m.attachedTo.text}*`);
  if (m.authority) out.push(`**${m.authority}**`);
  for (const para of p.preamble) out.push(escapeStart(para));
  for (const s of p.sections) out.push(renderSection(s));
  if (p.closing) out.push(escapeStart(p.closing));
  if (m.recipients.length > 0) out.push(`**Nơi nhận:**\n\n${m.recipients.map((r) => `- ${r}`).join('\n')}`);
  if (m.signer) {
    const sig = [m.signer.authority, m.signer.position].filter(Boolean).map((x) => `**${x}**`);
    if (m.signer.name) sig.push(m.signer.name);
    out.push(sig.join('  \n'));
  }
  for (const a of p.appendices) out.push(renderAppendix(a));
  return out.join('\n\n');
}
