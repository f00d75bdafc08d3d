// drizzle implementation of AgentStore.
import { and, asc, eq, gt, ilike, or, type SQL } from 'drizzle-orm';
import type { Agent } from '../../agents/agent.js';
import type { AgentStore } from '../../agents/store.js';
import type { Database } from '../client.js';
import { agents } from '../schema/index.js';
import { likePattern } from './publisher-store.js';

export function agentStore(db: Database): AgentStore {
  return {
    ensure: async (a) => {
      // ON CONFLICT DO NOTHING waits for a concurrent insert of the same name to commit, then
      // does nothing; the select below (a new snapshot under READ COMMITTED) then sees that row.
      const inserted = await db.insert(agents).values(a).onConflictDoNothing().returning();
      if (inserted[0]) return { agent: inserted[0], created: true };
      const [row] = await db
        .select()
        .from(agents)
        .where(and(eq(agents.publisherId, a.publisherId), eq(agents.name, a.name)))
        .limit(1);
      if (!row) throw new Error(`agent ${a.name} vanished between insert and select`);
      return { agent: row as Agent, created: false };
    },
    findById: async (id) => {
      const [row] = await db.select().from(agents).where(eq(agents.id, id)).limit(1);
      return row;
    },
    list: async ({ publisherId, search, after, limit }) => {
      const conditions: SQL[] = [];
      if (search)
        conditions.push(or(ilike(agents.name, likePattern(search)), eq(agents.id, search))!);
      if (publisherId) conditions.push(eq(agents.publisherId, publisherId));
      if (after) conditions.push(gt(agents.id, after));
      return db
        .select()
        .from(agents)
        .where(conditions.length ? and(...conditions) : undefined)
        .orderBy(asc(agents.id))
        .limit(limit);
    },
  };
}
