// drizzle implementation of AdminSessionStore.
import { eq, lte, or } from 'drizzle-orm';
import type { AdminSessionStore } from '../../admin/session-store.js';
import type { Database } from '../client.js';
import { adminSessions } from '../schema/index.js';

export function adminSessionStore(db: Database): AdminSessionStore {
  return {
    insert: async (s) => {
      await db.insert(adminSessions).values(s);
    },
    findBySecretHash: async (secretHash) => {
      const [row] = await db
        .select()
        .from(adminSessions)
        .where(eq(adminSessions.secretHash, secretHash))
        .limit(1);
      return row;
    },
    touch: async (id, at) => {
      await db.update(adminSessions).set({ lastSeenAt: at }).where(eq(adminSessions.id, id));
    },
    delete: async (id) => {
      await db.delete(adminSessions).where(eq(adminSessions.id, id));
    },
    deleteExpired: async (now, idleBefore) => {
      const gone = await db
        .delete(adminSessions)
        .where(or(lte(adminSessions.expiresAt, now), lte(adminSessions.lastSeenAt, idleBefore)))
        .returning({ id: adminSessions.id });
      return gone.length;
    },
  };
}
