// drizzle implementation of AdminUserStore.
import { eq } from 'drizzle-orm';
import type { AdminUserStore } from '../../admin/admin-user-store.js';
import { ConflictError } from '../../errors.js';
import type { Database } from '../client.js';
import { isUniqueViolation } from '../errors.js';
import { adminUsers } from '../schema/index.js';

export function adminUserStore(db: Database): AdminUserStore {
  return {
    insert: async (u) => {
      try {
        await db.insert(adminUsers).values(u);
      } catch (err) {
        if (isUniqueViolation(err)) {
          throw new ConflictError(`an admin named ${JSON.stringify(u.username)} exists`, [
            { field: 'username', message: 'already taken' },
          ]);
        }
        throw err;
      }
    },
    findById: async (id) => {
      const [row] = await db.select().from(adminUsers).where(eq(adminUsers.id, id)).limit(1);
      return row;
    },
    findByUsername: async (username) => {
      const [row] = await db
        .select()
        .from(adminUsers)
        .where(eq(adminUsers.username, username))
        .limit(1);
      return row;
    },
  };
}
