// Storage port of agents.
import type { Agent } from './agent.js';

export interface AgentStore {
  /**
   * Returns the publisher's agent named `a.name`, inserting `a` when there is none. Safe under
   * concurrency: two first uses of one name end with one agent.
   */
  ensure(a: Agent): Promise<{ agent: Agent; created: boolean }>;
  findById(id: string): Promise<Agent | undefined>;
  /** Ordered by id; `after` is an id; `search` matches a substring of the name (any case) or the exact id. */
  list(o: {
    publisherId?: string | undefined;
    search?: string | undefined;
    after?: string | undefined;
    limit: number;
  }): Promise<Agent[]>;
}
