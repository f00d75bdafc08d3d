// drizzle implementation of SignInFailureStore.
import { and, asc, eq, gte, inArray, lt } from 'drizzle-orm';
import type { SignInFailureStore } from '../../admin/sign-in-failure-store.js';
import type { Database } from '../client.js';
import { signInFailures } from '../schema/index.js';

export function signInFailureStore(db: Database): SignInFailureStore {
  return {
    insert: async (f) => {
      await db.insert(signInFailures).values(f);
    },
    timesSince: async (key, since) =>
      (
        await db
          .select({ at: signInFailures.at })
          .from(signInFailures)
          .where(and(eq(signInFailures.key, key), gte(signInFailures.at, since)))
          .orderBy(asc(signInFailures.at))
      ).map((r) => r.at),
    deleteIds: async (ids) => {
      if (ids.length > 0) await db.delete(signInFailures).where(inArray(signInFailures.id, ids));
    },
    deleteKey: async (key) => {
      await db.delete(signInFailures).where(eq(signInFailures.key, key));
    },
    deleteOlderThan: async (before) => {
      await db.delete(signInFailures).where(lt(signInFailures.at, before));
    },
  };
}
