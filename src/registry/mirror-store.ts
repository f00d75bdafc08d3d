// Storage port of mirrored registry entries (mirror.ts).
import type { RegistryQuery } from '../manifests/store.js';

export interface MirroredOfficialMeta {
  status: 'active' | 'deprecated' | 'deleted';
  statusMessage?: string;
  publishedAt: string;
  updatedAt: string;
  isLatest: boolean;
}

export interface MirroredEntry {
  name: string;
  version: string;
  source: string;
  position: number;
  serverJson: Record<string, unknown>;
  official: MirroredOfficialMeta;
  contentDigest: string;
  claimedBy: string | null;
  claimedAt: Date | null;
  removedAt: Date | null;
  importedAt: Date;
  updatedAt: Date;
}

export interface MirrorStore {
  /** Every entry of a source, removed ones included. */
  listBySource(source: string): Promise<MirroredEntry[]>;
  /** Inserts or replaces the entry of (name, version). */
  upsert(e: MirroredEntry): Promise<void>;
  /** The highest position of each name, for names that have entries. */
  maxPositions(names: string[]): Promise<Map<string, number>>;
  /**
   * A /v0.1 page of entries not removed and whose name is no registered server (a server of the
   * TA always wins over a mirrored copy), ordered by (name, position).
   */
  page(q: RegistryQuery): Promise<MirroredEntry[]>;
  /** The entries of one name not removed (same rule), in position order. */
  findByName(name: string): Promise<MirroredEntry[]>;
  /** Marks every entry of `name` claimed by `publisherId`; returns how many. */
  claim(name: string, publisherId: string, at: Date): Promise<number>;
}
