// drizzle implementation of MirrorStore.
import { and, asc, eq, gt, ilike, inArray, isNull, max, or, sql, type SQL } from 'drizzle-orm';
import type {
  MirroredEntry,
  MirroredOfficialMeta,
  MirrorStore,
} from '../../registry/mirror-store.js';
import type { Database } from '../client.js';
import { mirroredServers, servers } from '../schema/index.js';
import { likePattern } from './publisher-store.js';

type Row = typeof mirroredServers.$inferSelect;
const toEntry = (r: Row): MirroredEntry => ({
  ...r,
  serverJson: r.serverJson as Record<string, unknown>,
  official: r.official as MirroredOfficialMeta,
});

/** Not removed, and no registered server of that name. */
const served = () =>
  and(
    isNull(mirroredServers.removedAt),
    sql`not exists (select 1 from ${servers} where ${servers.name} = ${mirroredServers.name})`,
  )!;

export function mirrorStore(db: Database): MirrorStore {
  return {
    listBySource: async (source) =>
      (await db.select().from(mirroredServers).where(eq(mirroredServers.source, source))).map(
        toEntry,
      ),
    upsert: async (e) => {
      const { name: _n, version: _v, ...rest } = e;
      await db
        .insert(mirroredServers)
        .values(e)
        .onConflictDoUpdate({ target: [mirroredServers.name, mirroredServers.version], set: rest });
    },
    maxPositions: async (names) => {
      if (names.length === 0) return new Map();
      const rows = await db
        .select({ name: mirroredServers.name, position: max(mirroredServers.position) })
        .from(mirroredServers)
        .where(inArray(mirroredServers.name, names))
        .groupBy(mirroredServers.name);
      return new Map(rows.map((r) => [r.name, r.position ?? 0]));
    },
    page: async (q) => {
      const conditions: SQL[] = [served()];
      if (q.after) {
        conditions.push(
          or(
            gt(mirroredServers.name, q.after.name),
            and(
              eq(mirroredServers.name, q.after.name),
              gt(mirroredServers.position, q.after.position),
            ),
          )!,
        );
      }
      if (q.search) conditions.push(ilike(mirroredServers.name, likePattern(q.search)));
      if (q.updatedSince) conditions.push(gt(mirroredServers.updatedAt, q.updatedSince));
      if (q.latestOnly) conditions.push(sql`${mirroredServers.official}->>'isLatest' = 'true'`);
      if (q.version) conditions.push(eq(mirroredServers.version, q.version));
      if (!q.includeDeleted)
        conditions.push(sql`${mirroredServers.official}->>'status' <> 'deleted'`);
      const rows = await db
        .select()
        .from(mirroredServers)
        .where(and(...conditions))
        .orderBy(asc(mirroredServers.name), asc(mirroredServers.position))
        .limit(q.limit);
      return rows.map(toEntry);
    },
    findByName: async (name) =>
      (
        await db
          .select()
          .from(mirroredServers)
          .where(and(eq(mirroredServers.name, name), served()))
          .orderBy(asc(mirroredServers.position))
      ).map(toEntry),
    claim: async (name, publisherId, at) => {
      const rows = await db
        .update(mirroredServers)
        .set({ claimedBy: publisherId, claimedAt: at, updatedAt: at })
        .where(and(eq(mirroredServers.name, name), isNull(mirroredServers.removedAt)))
        .returning({ name: mirroredServers.name });
      return rows.length;
    },
  };
}
