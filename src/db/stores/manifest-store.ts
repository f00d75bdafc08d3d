// drizzle implementation of ManifestStore.
import { and, asc, desc, eq, gt, ilike, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import type { DsseSignature } from '../../crypto/dsse.js';
import { ConflictError } from '../../errors.js';
import type {
  ManifestRecord,
  ManifestState,
  ReplacedSignatures,
} from '../../manifests/manifest.js';
import type { ServerJson } from '../../manifests/server-json.js';
import type { ManifestStore } from '../../manifests/store.js';
import type { Database } from '../client.js';
import { isUniqueViolation } from '../errors.js';
import { manifests, servers } from '../schema/index.js';
import { likePattern } from './publisher-store.js';
import { toServer } from './server-store.js';

type Row = typeof manifests.$inferSelect;

const toRecord = (r: Row): ManifestRecord => ({
  ...r,
  signatures: r.signatures as DsseSignature[],
  legacyServerJson: (r.legacyServerJson ?? null) as ServerJson | null,
  signatureHistory: r.signatureHistory as ReplacedSignatures[],
  state: r.state as ManifestState,
});

export function manifestStore(db: Database): ManifestStore {
  const one = async (where: SQL | undefined) => {
    const [row] = await db.select().from(manifests).where(where).limit(1);
    return row ? toRecord(row) : undefined;
  };
  return {
    insert: async (r) => {
      try {
        await db.insert(manifests).values(r);
      } catch (err) {
        if (isUniqueViolation(err)) {
          throw new ConflictError(`${r.serverName}@${r.version} is already published`, [
            { field: 'body.version', message: 'already published' },
          ]);
        }
        throw err;
      }
    },
    findByVersion: (serverName, version) =>
      one(and(eq(manifests.serverName, serverName), eq(manifests.version, version))),
    findByDigest: (digest) => one(eq(manifests.digest, digest)),
    findLatest: (serverName) =>
      one(and(eq(manifests.serverName, serverName), eq(manifests.isLatest, true))),
    listByServer: async (serverName) =>
      (
        await db
          .select()
          .from(manifests)
          .where(eq(manifests.serverName, serverName))
          .orderBy(asc(manifests.position))
      ).map(toRecord),
    last: async (serverName) => {
      const [row] = await db
        .select()
        .from(manifests)
        .where(eq(manifests.serverName, serverName))
        .orderBy(desc(manifests.position))
        .limit(1);
      return row ? toRecord(row) : undefined;
    },
    listSignedBy: async (keyid) =>
      (
        await db
          .select()
          .from(manifests)
          .where(sql`${manifests.signatures} @> ${JSON.stringify([{ keyid }])}::jsonb`)
          .orderBy(asc(manifests.digest))
      ).map(toRecord),
    replaceSignatures: async (digest, r) => {
      await db
        .update(manifests)
        .set({
          signatures: r.signatures,
          signatureHistory: sql`${manifests.signatureHistory} || ${JSON.stringify([r.replaced])}::jsonb`,
          updatedAt: r.updatedAt,
        })
        .where(eq(manifests.digest, digest));
    },
    updateState: async (digest, s) => {
      await db.update(manifests).set(s).where(eq(manifests.digest, digest));
    },
    setLatest: async (serverName, version, at) => {
      // Two statements: the partial unique index (one latest per server) is checked row by row.
      const others = version === undefined ? undefined : ne(manifests.version, version);
      await db
        .update(manifests)
        .set({ isLatest: false, updatedAt: at })
        .where(and(eq(manifests.serverName, serverName), eq(manifests.isLatest, true), others));
      if (version !== undefined) {
        await db
          .update(manifests)
          .set({ isLatest: true, updatedAt: at })
          .where(
            and(
              eq(manifests.serverName, serverName),
              eq(manifests.version, version),
              eq(manifests.isLatest, false),
            ),
          );
      }
    },
    registryPage: async (q) => {
      const conditions: SQL[] = [];
      if (q.after) {
        conditions.push(
          or(
            gt(manifests.serverName, q.after.name),
            and(eq(manifests.serverName, q.after.name), gt(manifests.position, q.after.position)),
          )!,
        );
      }
      if (q.search) conditions.push(ilike(manifests.serverName, likePattern(q.search)));
      // A server edit changes no published version's document, so only the manifest's time counts.
      if (q.updatedSince) conditions.push(gt(manifests.updatedAt, q.updatedSince));
      if (q.latestOnly) conditions.push(eq(manifests.isLatest, true));
      if (q.version) conditions.push(eq(manifests.version, q.version));
      if (!q.includeDeleted) conditions.push(ne(manifests.state, 'yanked'));
      const rows = await db
        .select({ m: manifests, s: servers })
        .from(manifests)
        .innerJoin(servers, eq(servers.name, manifests.serverName))
        .where(conditions.length ? and(...conditions) : undefined)
        .orderBy(asc(manifests.serverName), asc(manifests.position))
        .limit(q.limit);
      return rows.map((r) => ({ server: toServer(r.s), manifest: toRecord(r.m) }));
    },
    list: async (q) => {
      const conditions: SQL[] = [];
      if (q.state) conditions.push(eq(manifests.state, q.state));
      if (q.serverName) conditions.push(eq(manifests.serverName, q.serverName));
      if (q.search) {
        conditions.push(
          or(
            ilike(manifests.serverName, likePattern(q.search)),
            eq(manifests.version, q.search),
            eq(manifests.digest, q.search),
            // A tool of that exact name: the payload is the signed JCS text of the manifest.
            sql`(${manifests.payload})::jsonb -> 'tools' @> ${JSON.stringify([{ name: q.search }])}::jsonb`,
          )!,
        );
      }
      if (q.before) {
        const { publishedAt, digest } = q.before;
        conditions.push(
          or(
            lt(manifests.publishedAt, publishedAt),
            and(eq(manifests.publishedAt, publishedAt), lt(manifests.digest, digest)),
          )!,
        );
      }
      const rows = await db
        .select()
        .from(manifests)
        .where(conditions.length ? and(...conditions) : undefined)
        .orderBy(desc(manifests.publishedAt), desc(manifests.digest))
        .limit(q.limit);
      return rows.map(toRecord);
    },
  };
}
