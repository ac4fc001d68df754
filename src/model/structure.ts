/**
 * Schema of the structure stage's output (`doc.structure`): document metadata
 * from the standard layout of Vietnamese administrative documents (Nghị định
 * 30/2020/NĐ-CP), the section tree, the documents cited and the phụ lục tables.
 *
 * These TypeBox schemas are the single source of the TypeScript types and of
 * the `structure` part of the published JSON Schema (`vnplan.schema.json`).
 * Every field carries a `description`, which is what consumers read in the
 * published schema; `SCHEMA.md` beside this file explains them with examples.
 *
 * Compatibility follows `SCHEMA_VERSION` in `doc.ts`: removing or renaming a
 * field, or narrowing a type, bumps the major version; adding an optional
 * field bumps the minor version.
 */
import { Type, type Static } from '@sinclair/typebox';

const nullable = <T extends ReturnType<typeof Type.String>>(schema: T, description: string) =>
  Type.Union([schema, Type.Null()], { description });

/** A span of 1-based page numbers, both ends included. */
export const PageSpan = Type.Object(
  {
    from: Type.Integer({ minimum: 1, description: 'First page (1-based) the element appears on.' }),
    to: Type.Integer({ minimum: 1, description: 'Last page (1-based) the element appears on; equal to `from` for one page.' }),
  },
  { description: 'Pages the element spans, both ends included.' },
);
export type PageSpan = Static<typeof PageSpan>;

/** Where a document is cited. */
export const Citation = Type.Object(
  {
    page: Type.Integer({ minimum: 1, description: '1-based page of the line the citation starts on.' }),
    line: Type.Integer({ minimum: 1, description: '1-based line within that page (as in `pages[].lines`).' }),
    part: Type.Integer({
      minimum: 0,
      description: 'Which document of the file: 0 the main document, 1 its first attached document (`attached[0]`), and so on.',
    }),
    section: nullable(
      Type.String(),
      'Path of the section the citation is in, recovered numbers joined by `/` (`VI/1/b`, `Chương II/Điều 5/2`); null in the preamble, header, closing or a phụ lục.',
    ),
    appendix: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], {
      description: 'Index into the part\'s `appendices` when the citation is inside a phụ lục; null otherwise.',
    }),
    row: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], {
      description: 'Index into the appendix table\'s `rows` when the citation is in a table cell; null otherwise.',
    }),
  },
  { description: 'One place where a document is cited.' },
);
export type Citation = Static<typeof Citation>;

/** A document cited in the text (or linked from the header). */
export const Reference = Type.Object(
  {
    type: Type.String({
      description: 'Kind of document as printed, in canonical spelling: `Quyết định`, `Nghị quyết`, `Kết luận`, `Thông tư`, `Luật`, `Văn bản`…',
    }),
    number: nullable(
      Type.String(),
      'Number and symbol without spaces (`4831/QĐ-UBND`, `91-KL/TU`, `55/2022/QH15`); a kind code read one letter off is given as the code of the kind cited (`88/TTrF-SNV` of a Tờ trình → `88/TTr-SNV`; `text` keeps what was read); null when the document is cited by name only (laws).',
    ),
    title: nullable(Type.String(), 'Name of a document cited by name (`Tổ chức chính quyền địa phương` for a Luật); null otherwise.'),
    date: nullable(Type.String({ format: 'date' }), 'Date of issue as ISO `YYYY-MM-DD`, when some citation gives it; null otherwise.'),
    issuer: nullable(Type.String(), 'Issuing body as printed after `của` (`Ủy ban nhân dân tỉnh Khánh Hòa`), when some citation gives it; null otherwise.'),
    text: Type.String({ description: 'The most complete citation text found, as printed.' }),
    citations: Type.Array(Citation, { minItems: 1, description: 'Every place the document is cited, in reading order.' }),
  },
  { description: 'A cited document; citations of the same type and number are merged into one entry.' },
);
export type Reference = Static<typeof Reference>;

/** One `-` or `+` list item of a section. */
export const ListItem = Type.Object(
  {
    bullet: Type.String({ description: 'Bullet as printed: `-` (first level) or `+` (second level); `•` and `–` are read as `-`.' }),
    text: Type.String({ description: 'Item text without its bullet, wrapped lines joined by one space.' }),
    after: Type.Integer({
      minimum: 0,
      description: 'Number of the section\'s `paragraphs` printed before this item, so paragraphs and items can be put back in reading order.',
    }),
  },
  { description: 'A list item of its section.' },
);
export type ListItem = Static<typeof ListItem>;

/** A table: header cells and rows of cells, column order. */
export const Table = Type.Object(
  {
    columns: Type.Array(Type.String(), {
      description:
        'Header cell texts, left to right (a header printed on two rows is joined); empty when the table has no header row. For `ocr-columns` tables the names are vnplan\'s (the printed header is scrambled too).',
    }),
    rows: Type.Array(Type.Array(Type.String()), {
      description:
        'Body rows, top to bottom; each row holds its cells in column order (as many as `columns` when there is a header). A cell made of several list items or paragraphs keeps them as separate lines joined by `\\n`. A row printed across a page break is one row; a header repeated on each page is kept once (in `columns`).',
    }),
    reliability: Type.Array(Type.Union([Type.Literal('high'), Type.Literal('medium'), Type.Literal('low')]), {
      description:
        'One mark per row, same order as `rows`: `high` — cells read from a text layer or a ruled grid; `medium` — cells placed by rules from damaged text, or a row number the OCR lost filled in from the sequence; `low` — the source scrambled the cells (legacy OCR read the table column by column); check against the page image.',
    }),
    source: Type.Union([Type.Literal('text'), Type.Literal('scan'), Type.Literal('ocr-columns')], {
      description:
        '`text`: tab-separated rows of a born-digital text; `scan`: cells found from the rules of a scanned page; `ocr-columns`: recovered from legacy OCR text whose cells were read column by column.',
    }),
    pages: PageSpan,
  },
  { description: 'A table, as rows of cells in column order.' },
);
export type Table = Static<typeof Table>;

/** Marker kinds, from the outermost down. */
export const MarkerKind = Type.Union(
  [
    Type.Literal('chapter'),
    Type.Literal('article'),
    Type.Literal('roman'),
    Type.Literal('arabic'),
    Type.Literal('decimal'),
    Type.Literal('letter'),
  ],
  {
    description:
      'Kind of marker: `chapter` `Chương I`; `article` `Điều 1.`; `roman` `I.`; `arabic` `1.`; `decimal` `3.1.`; `letter` `a)`, `đ)`. They nest in this order (`article` and `roman` at the same depth).',
  },
);
export type MarkerKind = Static<typeof MarkerKind>;

/** A numbered section with its content and subsections. */
export const Section = Type.Recursive(
  (This) =>
    Type.Object(
      {
        marker: Type.String({ description: 'Marker as printed, OCR damage included (`I1.`, `rv.`, `3.1.`, `a)`, `Điều 2.`).' }),
        number: Type.String({
          description: 'Recovered number in the document\'s sequence: `II`, `IV`, `3`, `3.1`, `a`, `2` (for `Điều 2`), `II` (for `Chương II`). Differs from the marker when OCR damaged it or the document repeats a number.',
        }),
        recovered: Type.Boolean({
          description:
            'True when the printed marker is not the regular form of `number`: OCR damaged it (`I1.` read as II) or the number was inferred from the sequence (a second printed `V.` is VI).',
        }),
        kind: MarkerKind,
        level: Type.Integer({ minimum: 1, description: 'Depth in the tree, 1 for top-level sections.' }),
        heading: Type.String({ description: 'Text printed after the marker (its wrapped lines joined), without the marker.' }),
        paragraphs: Type.Array(Type.String(), { description: 'Paragraphs of the section before its subsections, wrapped lines joined.' }),
        items: Type.Array(ListItem, { description: '`-`/`+` list items of the section, in reading order.' }),
        tables: Type.Array(Table, { description: 'Tables printed inside the section body (phụ lục tables are under `appendices`).' }),
        pages: PageSpan,
        children: Type.Array(This, { description: 'Subsections, in reading order.' }),
      },
      { description: 'A section, from its marker to the next marker of the same or an outer kind.' },
    ),
  { $id: 'Section' },
);
export type Section = Static<typeof Section>;

/** The person who signed, from the signature block. */
export const Signer = Type.Object(
  {
    authority: nullable(
      Type.String(),
      'Line showing in whose name the signer signs, as printed: `TM. ỦY BAN NHÂN DÂN` (thay mặt), `KT. CHỦ TỊCH` (ký thay), `Q. GIÁM ĐỐC` (quyền), `TL.`/`TUQ.`; null when absent.',
    ),
    mode: Type.Union(
      [Type.Literal('TM'), Type.Literal('KT'), Type.Literal('Q'), Type.Literal('TL'), Type.Literal('TUQ'), Type.Null()],
      { description: 'Abbreviation that opens `authority` (`TM`, `KT`, `Q`, `TL`, `TUQ`); null when signed in one\'s own name.' },
    ),
    position: nullable(Type.String(), 'Position of the signer as printed (`CHỦ TỊCH`, `PHÓ CHỦ TỊCH`, `HIỆU TRƯỞNG`).'),
    name: nullable(Type.String(), 'Full name of the signer (`Nguyễn Tấn Tuấn`); null when not printed or not read.'),
  },
  { description: 'Signature block (thẩm quyền ký) at the end of the document.' },
);
export type Signer = Static<typeof Signer>;

/** Issuing body, with its parent body when the header prints one. */
export const Issuer = Type.Object(
  {
    name: Type.String({ description: 'Issuing body as printed (`ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA`, `TRƯỜNG CAO ĐẲNG Y TẾ`), wrapped lines joined.' }),
    parent: nullable(Type.String(), 'Parent body printed above it (`UBND TỈNH KHÁNH HÒA`); null when the issuer has none printed.'),
  },
  { description: 'Issuing body (cơ quan, tổ chức ban hành văn bản) from the top-left header.' },
);
export type Issuer = Static<typeof Issuer>;

/** A link from an attached document to the one that issues it. */
export const AttachedTo = Type.Object(
  {
    type: Type.String({ description: 'Kind of the issuing document (`Quyết định`).' }),
    number: nullable(Type.String(), 'Its number and symbol (`271/QĐ-UBND`); null when not readable.'),
    date: nullable(Type.String({ format: 'date' }), 'Its date, ISO `YYYY-MM-DD`; null when not readable.'),
    issuer: nullable(Type.String(), 'Its issuer as printed after `của`; null when not given.'),
    text: Type.String({ description: 'The whole parenthesised line as printed, brackets included.' }),
  },
  { description: 'The `(Ban hành kèm theo Quyết định số … ngày … của …)` line under the title of an attached document.' },
);
export type AttachedTo = Static<typeof AttachedTo>;

/** A header or footer value the structure stage read differently from the printed line, and why. */
export const Normalization = Type.Object(
  {
    field: Type.String({
      description: 'Metadata field the value went to: `issuer.name`, `issuer.parent`, `number`, `place`, `date`, `title`, or `recipients[i]` (0-based).',
    }),
    read: Type.String({ description: 'The text as read from the page (OCR, after repair): what the line in `pages[].lines` says.' }),
    value: Type.String({ description: 'The value given in the field.' }),
    rule: Type.Union(
      [
        Type.Literal('admin-level'),
        Type.Literal('number-separator'),
        Type.Literal('place-from-issuer'),
        Type.Literal('place-from-list'),
        Type.Literal('date-words'),
        Type.Literal('year-word'),
        Type.Literal('report-mark'),
        Type.Literal('archive-mark'),
      ],
      {
        description:
          'Why: `admin-level` an administrative level word in its one spelling (`TÍNH` → `TỈNH` in an issuer line, `UBND tính` → `UBND tỉnh` in a recipient); `number-separator` the number and symbol are joined by `/` (`123-KH-SNV` → `123/KH-SNV`; party documents keep `91-KL/TU`); ' +
          '`place-from-issuer` the place of issue is the administrative unit named in the issuer lines, and the place read is a few letters from it; `place-from-list` the same against the known provinces and districts (`dictionaries/terms/places.txt`); ' +
          '`date-words` the date line read with damaged words or digits (`năn`, `1O`); `year-word` the word before a year is `năm`; `report-mark` the `(b/c)` mark of a recipient; `archive-mark` the `Lưu: VT` line (`Lưu VỀ` → `Lưu: VT`).',
      },
    ),
  },
  { description: 'One normalised reading; the page text itself is left as read.' },
);
export type Normalization = Static<typeof Normalization>;

/** Header and footer fields of one document. */
export const Metadata = Type.Object(
  {
    issuer: Type.Union([Issuer, Type.Null()], { description: 'Issuing body; null when the header was not found.' }),
    motto: Type.Array(Type.String(), {
      description:
        'National motto lines as printed (`CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM`, `Độc lập - Tự do - Hạnh phúc`); recognised so they stay out of the body. Empty when absent.',
    }),
    number: nullable(Type.String(), 'Number and symbol without spaces (`139/KH-CĐYT`); null when absent.'),
    place: nullable(Type.String(), 'Place of issue (`Khánh Hòa`); null when absent.'),
    date: nullable(Type.String({ format: 'date' }), 'Date of issue, ISO `YYYY-MM-DD` (`Khánh Hòa, ngày 13 tháng 02 năm 2026` → `2026-02-13`); null when absent.'),
    type: nullable(
      Type.String(),
      'Kind of document in canonical spelling: `Kế hoạch`, `Quyết định`, `Chương trình`, `Công văn`, `Báo cáo`, `Thông báo`, `Tờ trình`, `Nghị quyết`…; from the type line, else from the symbol, else `Công văn` when a `V/v` line is printed; null when unknown.',
    ),
    title: nullable(Type.String(), 'Title (trích yếu nội dung), wrapped lines joined; for a Công văn the text after `V/v`; null when absent.'),
    authority: nullable(
      Type.String(),
      'Authority line printed between the title and the legal grounds of a decision (`ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA`, `CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH`); null when absent.',
    ),
    attachedTo: Type.Union([AttachedTo, Type.Null()], { description: 'Link to the issuing document when this one is attached to it; null otherwise.' }),
    recipients: Type.Array(Type.String(), { description: 'Nơi nhận entries, bullet and final `;`/`.` removed; empty when absent.' }),
    signer: Type.Union([Signer, Type.Null()], { description: 'Signature block; null when absent.' }),
    normalized: Type.Optional(
      Type.Array(Normalization, {
        description:
          'Values above that differ from the text read on the page because OCR damage was undone by a rule of the standard layout, so every such change can be traced; absent when there is none.',
      }),
    ),
  },
  { description: 'Fields of the standard layout (Nghị định 30/2020/NĐ-CP). A field the document does not print is null (or empty), never guessed.' },
);
export type Metadata = Static<typeof Metadata>;

/** A phụ lục. */
export const Appendix = Type.Object(
  {
    label: Type.String({ description: 'Label as printed (`Phụ lục`, `PHỤ LỤC I`).' }),
    number: nullable(Type.String(), 'Its number or letter when printed (`I`, `01`); null otherwise.'),
    heading: nullable(Type.String(), 'Heading printed under the label, wrapped lines joined; null when absent.'),
    note: nullable(Type.String(), 'The `(Kèm theo …)` line as printed, brackets included; null when absent.'),
    paragraphs: Type.Array(Type.String(), { description: 'Text of the phụ lục outside its tables.' }),
    tables: Type.Array(Table, { description: 'Tables of the phụ lục, in order.' }),
    pages: PageSpan,
  },
  { description: 'A phụ lục (appendix) with its tables.' },
);
export type Appendix = Static<typeof Appendix>;

/** One document: the main one, or one issued with it. */
export const Part = Type.Object(
  {
    metadata: Metadata,
    preamble: Type.Array(Type.String(), {
      description: 'Paragraphs between the title and the first section: legal grounds (`Căn cứ …`), purpose (`Nhằm …`, `Thực hiện …`).',
    }),
    sections: Type.Array(Section, { description: 'Top-level sections in reading order.' }),
    closing: nullable(Type.String(), 'Closing paragraph after the last section, ending in `./.` (`Trên đây là Kế hoạch …`); null when absent.'),
    references: Type.Array(Reference, { description: 'Documents cited in this part (body and phụ lục), in order of first citation.' }),
    appendices: Type.Array(Appendix, { description: 'Phụ lục of this part, in order.' }),
    pages: PageSpan,
  },
  { description: 'One document of the file: its metadata, body and phụ lục.' },
);
export type Part = Static<typeof Part>;

/** What the structure stage adds to a `Doc`. */
export const Structure = Type.Object(
  {
    metadata: Metadata,
    preamble: Part.properties.preamble,
    sections: Part.properties.sections,
    closing: Part.properties.closing,
    references: Part.properties.references,
    appendices: Part.properties.appendices,
    pages: PageSpan,
    attached: Type.Array(Part, {
      description:
        'Documents issued with the main one, in order: a Quyết định that issues a Kế hoạch has the plan here (its `metadata.attachedTo` points back to the decision).',
    }),
  },
  {
    $id: 'Structure',
    description: 'The main document (its fields are those of a part) plus the documents attached to it.',
  },
);
export type Structure = Static<typeof Structure>;
