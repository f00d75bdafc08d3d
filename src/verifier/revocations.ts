// Client side of the revocation feed (GET /v1/revocations): checks each page — signed by a
// trusted key, the page asked for, entries in seq order — and gathers the entries into a lookup.
// Pages chain by `since` = previous `next_since`, starting at 0, so nothing can be left out; the
// final page (has_more false) must not be past its signed `next_update` unless the caller says
// it just fetched it online.
import { verifyDocument } from '../crypto/signed-document.js';
import type { FeedEntry, RevocationFeed } from '../revocation/feed.js';
import type { RevocationKind } from '../revocation/revocation.js';
import type { TrustedKeys } from './trusted-keys.js';

export interface RevocationLookup {
  /** The entry revoking (kind, subject), if any. */
  get(kind: RevocationKind, subject: string): FeedEntry | undefined;
  /** Highest seq seen: revocations are known up to it. */
  readonly lastSeq: number;
}

/** The revocations of a feed, as gathered so far. */
export interface RevocationSet extends RevocationLookup {
  add(entries: FeedEntry[]): void;
  entries(): FeedEntry[];
}

export function createRevocationSet(initial: FeedEntry[] = []): RevocationSet {
  const byKey = new Map<string, FeedEntry>();
  let lastSeq = 0;
  const set: RevocationSet = {
    get: (kind, subject) => byKey.get(`${kind}\u0000${subject}`),
    get lastSeq() {
      return lastSeq;
    },
    add: (entries) => {
      for (const e of entries) {
        byKey.set(`${e.kind}\u0000${e.subject}`, e);
        if (e.seq > lastSeq) lastSeq = e.seq;
      }
    },
    entries: () => [...byKey.values()].sort((a, b) => a.seq - b.seq),
  };
  set.add(initial);
  return set;
}

export type FeedPageCheck =
  | { ok: true; page: RevocationFeed }
  | {
      ok: false;
      reason:
        | 'malformed'
        | 'wrong-issuer'
        | 'wrong-since'
        | 'unknown-kid'
        | 'bad-signature'
        | 'out-of-order'
        | 'stale';
      message: string;
    };

/** Checks one page answering `?since=<since>`. `requireFresh`: a final page must be unexpired at `now`. */
export function checkFeedPage(
  doc: unknown,
  o: { keys: TrustedKeys; since: number; now: Date; requireFresh: boolean },
): FeedPageCheck {
  const fail = (
    reason: Extract<FeedPageCheck, { ok: false }>['reason'],
    message: string,
  ): FeedPageCheck => ({ ok: false, reason, message });
  const d = doc as RevocationFeed;
  if (
    typeof d !== 'object' ||
    d === null ||
    d.type !== 'mcps-revocation-feed' ||
    !Array.isArray(d.revocations) ||
    typeof d.has_more !== 'boolean'
  ) {
    return fail('malformed', 'not a revocation feed page');
  }
  if (d.issuer !== o.keys.issuer)
    return fail(
      'wrong-issuer',
      `feed of ${JSON.stringify(d.issuer)}, not of ${JSON.stringify(o.keys.issuer)}`,
    );
  if (d.since !== o.since)
    return fail(
      'wrong-since',
      `page answers since=${d.since}, expected since=${o.since} (pages must chain from 0)`,
    );
  if (typeof d.issuer_kid === 'string' && o.keys.isRevokedKid(d.issuer_kid))
    return fail('unknown-kid', `signed by revoked authority key ${d.issuer_kid}`);
  const sig = verifyDocument(d as unknown as Record<string, unknown>, o.keys.keyFor);
  if (!sig.ok) {
    return sig.reason === 'unknown-kid'
      ? fail(
          'unknown-kid',
          `signed by key ${String(d.issuer_kid)}, which anchors version ${o.keys.version} do not list`,
        )
      : fail('bad-signature', 'signature does not verify: the feed was altered');
  }
  let previous = o.since;
  for (const e of d.revocations) {
    if (!Number.isSafeInteger(e.seq) || e.seq <= previous)
      return fail('out-of-order', `entry seq ${e.seq} does not follow ${previous}`);
    previous = e.seq;
  }
  if (d.next_since !== previous)
    return fail('malformed', `next_since ${d.next_since} is not the last seq ${previous}`);
  if (o.requireFresh && !d.has_more && !(Date.parse(d.next_update) > o.now.getTime())) {
    return fail(
      'stale',
      `revocation data is stale: next_update ${d.next_update} has passed; fetch the feed again`,
    );
  }
  return { ok: true, page: d };
}

/**
 * Checks a sequence of pages read from since=0 and returns the revocation set, or the first
 * failure. The last page must be final (has_more false).
 */
export function revocationsFromPages(
  pages: unknown[],
  o: { keys: TrustedKeys; now: Date; requireFresh: boolean },
): { ok: true; set: RevocationSet; final: RevocationFeed } | Extract<FeedPageCheck, { ok: false }> {
  const set = createRevocationSet();
  let since = 0;
  let last: RevocationFeed | undefined;
  for (const doc of pages) {
    const r = checkFeedPage(doc, { ...o, since });
    if (!r.ok) return r;
    set.add(r.page.revocations);
    since = r.page.next_since;
    last = r.page;
  }
  if (!last) return { ok: false, reason: 'malformed', message: 'no feed pages' };
  if (last.has_more)
    return {
      ok: false,
      reason: 'malformed',
      message: `the feed continues after seq ${last.next_since}: fetch ?since=${last.next_since} too`,
    };
  return { ok: true, set, final: last };
}
