// drizzle implementation of AuthorityKeyStore.
import { eq } from 'drizzle-orm';
import type { AuthorityKeyRecord } from '../../keys/authority-key.js';
import type { AuthorityKeyStore } from '../../keys/store.js';
import type { Database } from '../client.js';
import { authorityKeys } from '../schema/index.js';

type Row = typeof authorityKeys.$inferSelect;

function toRecord(r: Row): AuthorityKeyRecord {
  return {
    kid: r.kid,
    purpose: r.purpose as AuthorityKeyRecord['purpose'],
    status: r.status as AuthorityKeyRecord['status'],
    algorithm: 'ES256',
    publicJwk: r.publicJwk as AuthorityKeyRecord['publicJwk'],
    certificatePem: r.certificatePem,
    sealedPrivateKey: r.sealedPrivateKey,
    createdAt: r.createdAt,
    notAfter: r.notAfter,
  };
}

export function authorityKeyStore(db: Database): AuthorityKeyStore {
  return {
    listAll: async () =>
      (await db.select().from(authorityKeys).orderBy(authorityKeys.createdAt)).map(toRecord),
    insert: async (k) => {
      await db.insert(authorityKeys).values({ ...k });
    },
    updateStatus: async (kid, status) => {
      await db.update(authorityKeys).set({ status }).where(eq(authorityKeys.kid, kid));
    },
  };
}
