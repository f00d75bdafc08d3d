// drizzle implementation of ApiTokenStore.
import { and, asc, count, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { ApiToken } from '../../auth/api-token.js';
import type { ApiTokenStore } from '../../auth/api-token-store.js';
import type { Database } from '../client.js';
import { apiTokens } from '../schema/index.js';

type Row = typeof apiTokens.$inferSelect;
const toToken = (r: Row): ApiToken => ({ ...r, role: r.role as ApiToken['role'] });

/** The lookup every authenticated request makes, built once per database handle. */
function byIdQuery(db: Database) {
  return db
    .select()
    .from(apiTokens)
    .where(eq(apiTokens.id, sql.placeholder('id')))
    .limit(1)
    .prepare('api_token_by_id');
}

export function apiTokenStore(db: Database): ApiTokenStore {
  let byId: ReturnType<typeof byIdQuery> | undefined;
  return {
    insert: async (t) => {
      await db.insert(apiTokens).values(t);
    },
    findById: async (id) => {
      byId ??= byIdQuery(db);
      const [row] = await byId.execute({ id });
      return row ? toToken(row) : undefined;
    },
    listByPublisher: async (publisherId) =>
      (
        await db
          .select()
          .from(apiTokens)
          .where(
            publisherId === null
              ? isNull(apiTokens.publisherId)
              : eq(apiTokens.publisherId, publisherId),
          )
          .orderBy(asc(apiTokens.createdAt), asc(apiTokens.id))
      ).map(toToken),
    markRevoked: async (id, at) => {
      await db.update(apiTokens).set({ revokedAt: at }).where(eq(apiTokens.id, id));
    },
    countActive: async (now) => {
      const [row] = await db
        .select({ n: count() })
        .from(apiTokens)
        .where(
          and(
            isNull(apiTokens.revokedAt),
            or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now)),
          ),
        );
      return row?.n ?? 0;
    },
  };
}
