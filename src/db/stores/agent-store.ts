// drizzle implementation of AgentStore.
import { and, asc, eq, gt, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { Agent } from '../../agents/agent.js';
import type { AgentStore } from '../../agents/store.js';
import type { Database } from '../client.js';
import { preparedOnce } from '../prepared.js';
import { agents } from '../schema/index.js';
import { likePattern } from './publisher-store.js';

const findByNameQuery = preparedOnce((db) =>
  db
    .select()
    .from(agents)
    .where(
      and(
        eq(agents.publisherId, sql.placeholder('publisherId')),
        eq(agents.name, sql.placeholder('name')),
      ),
    )
    .limit(1)
    .prepare('agent_find_by_name'),
);

async function findAgent(
  db: Database,
  a: { publisherId: string; name: string },
): Promise<Agent | undefined> {
  const [row] = await findByNameQuery(db).execute({ publisherId: a.publisherId, name: a.name });
  return row as Agent | undefined;
}

export function agentStore(db: Database): AgentStore {
  return {
    ensure: async (a) => {
      // An agent is named once and gets many passports: look first (one statement for a known
      // agent). Otherwise ON CONFLICT DO NOTHING waits for a concurrent insert of the same name
      // to commit, then does nothing; the second select (a new snapshot under READ COMMITTED)
      // then sees that row. Agents are never deleted, so a row once seen stays.
      const known = await findAgent(db, a);
      if (known) return { agent: known, created: false };
      const inserted = await db.insert(agents).values(a).onConflictDoNothing().returning();
      if (inserted[0]) return { agent: inserted[0], created: true };
      const row = await findAgent(db, a);
      if (!row) throw new Error(`agent ${a.name} vanished between insert and select`);
      return { agent: row, created: false };
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
