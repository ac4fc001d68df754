/**
 * The one document model every stage reads and returns.
 *
 * The TypeBox schemas here are the single source for both the TypeScript types
 * and the published JSON Schema (`src/model/vnplan.schema.json`, written by
 * `scripts/write-schema.mjs`): the JSON that `vnplan convert` writes *is* a
 * serialized `Doc`. Plain data only — no class instances, no functions — so a
 * stage can be tested with inline values and the output is always valid JSON.
 *
 * Compatibility: a change that removes or renames a field, or narrows a type,
 * bumps the major part of `SCHEMA_VERSION`; adding an optional field bumps the
 * minor part.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Structure } from './structure.js';

/** Version of the JSON layout below (semver). */
export const SCHEMA_VERSION = '1.1.0';

/** Axis-aligned box in pixels of the page image (origin top-left). */
export const Bbox = Type.Object(
  {
    x0: Type.Number({ description: 'Left edge, px.' }),
    y0: Type.Number({ description: 'Top edge, px.' }),
    x1: Type.Number({ description: 'Right edge, px (exclusive).' }),
    y1: Type.Number({ description: 'Bottom edge, px (exclusive).' }),
  },
  { $id: 'Bbox', description: 'Box in pixels of the rasterized page at `page.dpi`.' },
);
export type Bbox = Static<typeof Bbox>;

/** One recognized word, as the OCR engine gave it (text updated by repair). */
export const Word = Type.Object(
  {
    text: Type.String({ description: 'Word text (NFC). After repair, the repaired text.' }),
    bbox: Bbox,
    confidence: Type.Number({ minimum: 0, maximum: 100, description: 'OCR confidence 0–100.' }),
  },
  { $id: 'Word' },
);
export type Word = Static<typeof Word>;

/** One printed line. `text` is what the outputs print. */
export const Line = Type.Object(
  {
    text: Type.String({ description: 'Line text (NFC), after repair.' }),
    bbox: Type.Optional(Bbox),
    words: Type.Optional(Type.Array(Word, { description: 'Words with boxes; only for OCR pages.' })),
    kind: Type.Optional(
      Type.Union([Type.Literal('text'), Type.Literal('table-row')], {
        description:
          '`table-row`: a row of a ruled table rebuilt from the page image; `cells` holds its cells in column order and `text` joins them with tabs.',
      }),
    ),
    cells: Type.Optional(Type.Array(Type.String())),
  },
  { $id: 'Line' },
);
export type Line = Static<typeof Line>;

/** A ruled table found on a page image (cell grid), used by the structure stage. */
export const TableGrid = Type.Object(
  {
    bbox: Bbox,
    rows: Type.Array(Type.Number(), { description: 'Y of each horizontal rule, top to bottom, px.' }),
    columns: Type.Array(Type.Number(), { description: 'X of each vertical rule, left to right, px.' }),
  },
  { $id: 'TableGrid' },
);
export type TableGrid = Static<typeof TableGrid>;

export const PageOrigin = Type.Union(
  [Type.Literal('text-layer'), Type.Literal('ocr'), Type.Literal('text-file')],
  { description: '`text-layer`: visible text of a born-digital PDF page; `ocr`: recognized from an image; `text-file`: a legacy text file.' },
);

/** One page of the input. */
export const Page = Type.Object(
  {
    number: Type.Integer({ minimum: 1, description: '1-based page number in the input.' }),
    origin: PageOrigin,
    width: Type.Optional(Type.Number({ description: 'Image width, px (OCR pages).' })),
    height: Type.Optional(Type.Number({ description: 'Image height, px (OCR pages).' })),
    dpi: Type.Optional(Type.Number({ description: 'Resolution the page was rasterized or scanned at.' })),
    skewDegrees: Type.Optional(Type.Number({ description: 'Deskew angle applied, degrees.' })),
    confidence: Type.Union([Type.Number({ minimum: 0, maximum: 100 }), Type.Null()], {
      description: 'Mean OCR word confidence 0–100; null where no OCR ran.',
    }),
    lines: Type.Array(Line),
    tables: Type.Optional(Type.Array(TableGrid)),
    status: Type.Union([Type.Literal('ok'), Type.Literal('failed')], {
      description: '`failed`: the page could not be read (see `error`); it has no lines.',
    }),
    error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
  },
  { $id: 'Page' },
);
export type Page = Static<typeof Page>;

/** Where in the text a correction was made: 1-based page, line and columns (UTF-16, NFC). */
export const Place = Type.Object({
  page: Type.Integer({ minimum: 1 }),
  line: Type.Integer({ minimum: 1, description: '1-based line number within the page.' }),
  column: Type.Integer({ minimum: 1, description: '1-based start column in the original line.' }),
  endColumn: Type.Integer({ minimum: 1, description: '1-based column just after the original span.' }),
});
export type Place = Static<typeof Place>;

/** One change the repair stage made, enough to undo or review it. */
export const Correction = Type.Object(
  {
    place: Place,
    actual: Type.String({ description: 'Text before repair.' }),
    expected: Type.String({ description: 'Text after repair.' }),
    confidence: Type.Number({ minimum: 0, maximum: 1, description: 'Margin-based confidence 0–1.' }),
    review: Type.Boolean({ description: 'True when confidence is below the review threshold.' }),
    ruleId: Type.Union([
      Type.Literal('dictionary'),
      Type.Literal('edit-distance'),
      Type.Literal('language-model'),
      Type.Literal('code'),
    ]),
    alternatives: Type.Array(Type.String(), { description: 'Next-best readings, best first.' }),
  },
  { $id: 'Correction' },
);
export type Correction = Static<typeof Correction>;

export const SourceKind = Type.Union([
  Type.Literal('pdf'),
  Type.Literal('png'),
  Type.Literal('jpeg'),
  Type.Literal('tiff'),
  Type.Literal('text'),
]);
export type SourceKind = Static<typeof SourceKind>;

/** The input file. */
export const Source = Type.Object(
  {
    fileName: Type.String({ description: 'Base name of the input file.' }),
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    kind: SourceKind,
    pageCount: Type.Integer({ minimum: 0 }),
    dpi: Type.Union([Type.Number(), Type.Null()], {
      description: 'Resolution of scanned pages (the most common one); null for text-only inputs.',
    }),
  },
  { $id: 'Source' },
);
export type Source = Static<typeof Source>;

/** A warning or note about the document (not a correction). */
export const Notice = Type.Object({
  code: Type.String(),
  message: Type.String(),
  page: Type.Optional(Type.Integer({ minimum: 1 })),
});
export type Notice = Static<typeof Notice>;

/** The whole converted document: what `<stem>.json` holds. */
export const Doc = Type.Object(
  {
    schemaVersion: Type.Literal(SCHEMA_VERSION),
    generator: Type.Object({ name: Type.Literal('vnplan'), version: Type.String() }),
    source: Source,
    pages: Type.Array(Page),
    corrections: Type.Array(Correction),
    structure: Type.Union([Structure, Type.Null()], {
      description: 'Metadata, sections, references and appendices; null until the structure stage ran.',
    }),
    notices: Type.Array(Notice),
  },
  { $id: 'https://vnplan.invalid/schema/vnplan.schema.json', title: 'vnplan document' },
);
export type Doc = Static<typeof Doc>;
