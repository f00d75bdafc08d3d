// The signed revocation feed (GET /v1/revocations?since=): every revocation of every kind after
// `since`, oldest first, in pages. Signed with the one signed-JSON scheme (issuer_kid + low-S
// ES256 over JCS, src/crypto/signed-document.ts). Rows never change once committed and commit in
// seq order, so a page is fully described by (since, limit, last seq, has_more, signing key): that
// is its ETag, and a client polling with If-None-Match gets a 304 without any signing.
// Freshness: a client must see a final page (has_more false) whose `next_update` has not passed;
// full pages are history and may come from a cache of any age.
import { createHash } from 'node:crypto';
import { signDocument, type Signed } from '../crypto/signed-document.js';
import type { P256Signer } from '../crypto/signer.js';
import type { Revocation, RevocationKind } from './revocation.js';
import type { Persistence } from '../stores.js';

export const FEED_TYPE = 'mcps-revocation-feed';
/** Clients poll again at the latest this long after `issued_at`. */
export const FEED_NEXT_UPDATE_SECONDS = 60;
export const FEED_DEFAULT_LIMIT = 500;
export const FEED_MAX_LIMIT = 1000;

export interface FeedEntry {
  seq: number;
  kind: RevocationKind;
  subject: string;
  reason: string;
  revoked_at: string;
  data: Record<string, unknown>;
}

export type RevocationFeed = Signed<{
  type: typeof FEED_TYPE;
  issuer: string;
  /** The `since` this page answers. */
  since: number;
  /** Ask `?since=` this next: the seq of the last entry, or `since` when the page is empty. */
  next_since: number;
  /** True when more entries follow: fetch `next_since` at once. */
  has_more: boolean;
  issued_at: string;
  next_update: string;
  revocations: FeedEntry[];
}>;

export interface FeedPage {
  since: number;
  entries: Revocation[];
  hasMore: boolean;
  /** Weak ETag (RFC 9110 §8.8.3): same entries and signing key, whatever the signing time. */
  etag: string;
}

/** Reads one page (no signing): enough to answer a conditional request. */
export async function readFeedPage(
  p: Pick<Persistence, 'stores'>,
  o: { since: number; limit: number; issuer: string; signerKid: string },
): Promise<FeedPage> {
  const rows = await p.stores.revocations.listSince(o.since, o.limit + 1);
  const hasMore = rows.length > o.limit;
  const entries = hasMore ? rows.slice(0, o.limit) : rows;
  const last = entries.length ? entries[entries.length - 1]!.seq : o.since;
  const tag = createHash('sha256')
    .update(
      JSON.stringify([
        FEED_TYPE,
        o.issuer,
        o.signerKid,
        o.since,
        o.limit,
        last,
        entries.length,
        hasMore,
      ]),
    )
    .digest('base64url')
    .slice(0, 27);
  return { since: o.since, entries, hasMore, etag: `W/"${tag}"` };
}

/** The signed document of a page. */
export function signFeedPage(
  page: FeedPage,
  o: { issuer: string; signer: P256Signer; now: Date },
): RevocationFeed {
  const last = page.entries.length ? page.entries[page.entries.length - 1]!.seq : page.since;
  return signDocument(
    {
      type: FEED_TYPE,
      issuer: o.issuer,
      since: page.since,
      next_since: last,
      has_more: page.hasMore,
      issued_at: o.now.toISOString(),
      next_update: new Date(o.now.getTime() + FEED_NEXT_UPDATE_SECONDS * 1000).toISOString(),
      revocations: page.entries.map(feedEntry),
    },
    o.signer,
  ) as RevocationFeed;
}

export function feedEntry(r: Revocation): FeedEntry {
  return {
    seq: r.seq,
    kind: r.kind,
    subject: r.subject,
    reason: r.reason,
    revoked_at: r.revokedAt.toISOString(),
    data: r.data,
  };
}

/** True when an If-None-Match header value matches `etag` (weak comparison, RFC 9110 §13.1.2). */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = (t: string) => t.trim().replace(/^W\//, '');
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((t) => opaque(t) === opaque(etag));
}
