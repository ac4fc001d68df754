/**
 * The built repair model (`dictionaries/build/repair-model.json`): learned
 * channel weights, the language model and the decoder settings, read once.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { VnplanError } from '../../errors.js';
import type { ChannelWeights } from './channel.js';
import type { LanguageModelData } from './language-model.js';

/** Decoder settings stored with the model (tuned at build time). */
export interface DecoderSettings {
  /** Weight of the language model against the channel (default: `1`). */
  readonly lmWeight: number;
  /** Extra cost of leaving a token that is not a syllable as it is, nats. */
  readonly keepCost: number;
  /** Candidates per slot given to the decoder. */
  readonly beam: number;
}

/** The model file's content. */
export interface RepairModelData {
  readonly format: 1;
  /**
   * Channel weights by noise style (`style-a`, `style-b`, ...) plus `pooled`
   * (all styles together); the repairer picks, per document, the one that
   * explains the document's tokens best.
   */
  readonly channels: Readonly<Record<string, ChannelWeights>>;
  readonly lm: LanguageModelData;
  readonly settings: DecoderSettings;
  /** The syllable inventory as generated at build time: syllables joined by spaces, and `variant:canonical` pairs. */
  readonly inventory: { readonly syllables: string; readonly variants: string };
  /** Acronyms seen in the sources inside ordinary text (`UBND`, `CCHC`): protected even in headings. */
  readonly acronyms: readonly string[];
  /** Where the model came from (source files and their hashes). */
  readonly sources: ReadonlyArray<{ readonly path: string; readonly sha256: string }>;
}

/** Default location of the built model, next to the package's dictionaries. */
export const DEFAULT_MODEL_PATH = fileURLToPath(new URL('../../../dictionaries/build/repair-model.json', import.meta.url));

/** Read and parse a model file; returns the data and the sha256 of its bytes. */
export function readModelFile(path: string): { data: RepairModelData; sha256: string } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    throw new VnplanError('INTERNAL', `repair model not found; build it with \`node scripts/build-repair-model.mjs\``, { path, cause });
  }
  const data = JSON.parse(bytes.toString('utf8')) as RepairModelData;
  if (data.format !== 1) throw new VnplanError('INTERNAL', `unsupported repair model format ${String(data.format)}`, { path });
  return { data, sha256: createHash('sha256').update(bytes).digest('hex') };
}
