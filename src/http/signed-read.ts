// Serving a signed read (signed-reads/cache.ts) over HTTP: a strong ETag of the exact bytes,
// If-None-Match → 304, Expires = the document's next update. Cache-Control stays `no-cache`:
// a client or proxy may keep the bytes but must revalidate (a cheap 304) before using them, so a
// revocation reaches it within the service's own one-second bound rather than at next_update.
import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import type { CachedRead, SignedReadCache, SignedReadKind } from '../signed-reads/cache.js';

export function etagOf(body: Uint8Array | string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/** A signed JSON document as a cacheable read. */
export function jsonRead(
  doc: unknown,
  status: number,
  o: { nextUpdate?: Date; freshUntil?: Date } = {},
): CachedRead {
  // Encoded once, when the read is built: a cached read is then served as its bytes.
  const body = Buffer.from(JSON.stringify(doc), 'utf8');
  return { body, status, contentType: 'application/json', etag: etagOf(body), ...o };
}

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = (t: string) => t.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => t.trim() === '*' || opaque(t) === opaque(etag));
}

export function serveRead(c: Context, read: CachedRead): Response {
  const headers: Record<string, string> = {
    'cache-control': read.cacheControl ?? 'no-cache',
    etag: read.etag,
  };
  if (read.nextUpdate) headers.expires = read.nextUpdate.toUTCString();
  if (matches(c.req.header('if-none-match'), read.etag)) return c.body(null, 304, headers);
  headers['content-type'] = read.contentType;
  // The cached bytes themselves, not a copy: the server only reads them.
  return c.body(read.body as never, read.status as never, headers);
}

/**
 * The cached read of `key`, or the one `build` makes — stored unless a change arrived while it
 * was being built (the generation is taken before `build` reads the database).
 */
export async function cachedRead(
  cache: SignedReadCache | undefined,
  kind: SignedReadKind,
  key: string,
  build: () => Promise<CachedRead>,
): Promise<CachedRead> {
  const hit = cache?.get(kind, key);
  if (hit) return hit;
  const generation = cache?.generation(kind) ?? 0;
  const read = await build();
  cache?.set(kind, key, generation, read);
  return read;
}
