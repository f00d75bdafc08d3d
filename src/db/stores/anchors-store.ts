// drizzle implementation of AnchorsStore.
import { desc, eq } from 'drizzle-orm';
import { ConflictError } from '../../errors.js';
import type { AnchorsDocument } from '../../keys/anchors.js';
import type { AnchorsStore } from '../../keys/anchors-store.js';
import type { Database } from '../client.js';
import { isUniqueViolation } from '../errors.js';
import { trustAnchors } from '../schema/index.js';

export function anchorsStore(db: Database): AnchorsStore {
  return {
    latest: async () => {
      const [row] = await db
        .select()
        .from(trustAnchors)
        .orderBy(desc(trustAnchors.version))
        .limit(1);
      return row?.document as AnchorsDocument | undefined;
    },
    byVersion: async (version) => {
      const [row] = await db
        .select()
        .from(trustAnchors)
        .where(eq(trustAnchors.version, version))
        .limit(1);
      return row?.document as AnchorsDocument | undefined;
    },
    insert: async (doc, at) => {
      try {
        await db
          .insert(trustAnchors)
          .values({ version: doc.version, document: doc, createdAt: at });
      } catch (err) {
        if (isUniqueViolation(err))
          throw new ConflictError(`trust anchors version ${doc.version} already exists`);
        throw err;
      }
    },
  };
}
