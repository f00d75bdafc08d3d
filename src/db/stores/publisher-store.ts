// drizzle implementation of PublisherStore.
import { and, asc, count, eq, gt, ilike, type SQL } from 'drizzle-orm';
import { ConflictError } from '../../errors.js';
import type { PublisherStore } from '../../registry/publisher-store.js';
import type { Database } from '../client.js';
import { columnPlaceholders, preparedOnce, rowValues } from '../prepared.js';
import { isUniqueViolation } from '../errors.js';
import { publishers } from '../schema/index.js';

/** Escapes LIKE wildcards so a search string matches literally. */
export function likePattern(search: string): string {
  return `%${escapeLike(search)}%`;
}

/** A LIKE pattern matching strings that start with `prefix`, literally. */
export function prefixPattern(prefix: string): string {
  return `${escapeLike(prefix)}%`;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const insertQuery = preparedOnce((db) =>
  db.insert(publishers).values(columnPlaceholders(publishers)).prepare('publisher_insert'),
);

export function publisherStore(db: Database): PublisherStore {
  return {
    insert: async (p) => {
      try {
        await insertQuery(db).execute(rowValues(publishers, p));
      } catch (err) {
        if (isUniqueViolation(err)) {
          throw new ConflictError(`a publisher named ${JSON.stringify(p.name)} exists`, [
            { field: 'body.name', message: 'already taken' },
          ]);
        }
        throw err;
      }
    },
    findById: async (id) => {
      const [row] = await db.select().from(publishers).where(eq(publishers.id, id)).limit(1);
      return row;
    },
    list: async ({ after, limit, search }) => {
      const conditions: SQL[] = [];
      if (after) conditions.push(gt(publishers.id, after));
      if (search) conditions.push(ilike(publishers.name, likePattern(search)));
      return db
        .select()
        .from(publishers)
        .where(conditions.length ? and(...conditions) : undefined)
        .orderBy(asc(publishers.id))
        .limit(limit);
    },
    count: async () => {
      const [row] = await db.select({ n: count() }).from(publishers);
      return row?.n ?? 0;
    },
  };
}
