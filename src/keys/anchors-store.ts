// Storage port of trust-anchor versions.
import type { AnchorsDocument } from './anchors.js';

export interface AnchorsStore {
  latest(): Promise<AnchorsDocument | undefined>;
  byVersion(version: number): Promise<AnchorsDocument | undefined>;
  /** Throws ConflictError if the version exists (two writers raced). */
  insert(doc: AnchorsDocument, at: Date): Promise<void>;
}
