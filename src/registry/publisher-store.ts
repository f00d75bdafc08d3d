// Storage port of publishers.
import type { Publisher } from './publisher.js';

export interface PublisherPage {
  items: Publisher[];
  /** Opaque cursor for the next page, or null at the end. */
  nextCursor: string | null;
}

export interface PublisherStore {
  /** Throws ConflictError when the name is taken. */
  insert(p: Publisher): Promise<void>;
  findById(id: string): Promise<Publisher | undefined>;
  /** Ordered by id; `after` is an id. */
  list(o: { after?: string; limit: number; search?: string }): Promise<Publisher[]>;
  count(): Promise<number>;
}
