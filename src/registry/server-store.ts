// Storage port of registered MCP servers.
import type { Server } from './server.js';

export interface ServerStore {
  /** Throws ConflictError when the name is taken. */
  insert(s: Server): Promise<void>;
  find(name: string): Promise<Server | undefined>;
  /** Like find, and locks the row until the end of the transaction (serialises publishes). */
  findForUpdate(name: string): Promise<Server | undefined>;
  update(s: Server): Promise<void>;
  /**
   * Ordered by name; `after` is a name; `search` matches a substring of the name, any case;
   * `publisherId` and `namespace` must match exactly.
   */
  list(o: {
    after?: string | undefined;
    limit: number;
    search?: string | undefined;
    publisherId?: string | undefined;
    namespace?: string | undefined;
  }): Promise<Server[]>;
  count(): Promise<number>;
}
