// Online mode: brings a client's trusted state up to date from a TA URL — walks the trust anchors
// from the version it trusts to the newest (GET /v1/trust/anchors, /v1/trust/anchors/{v}) and
// reads the revocation feed from where it stopped (GET /v1/revocations?since=, If-None-Match with
// the last ETag). The state is plain JSON, so a caller can cache it between runs.
import type { AnchorsDocument } from '../keys/anchors.js';
import type { FeedEntry } from '../revocation/feed.js';
import { compareServedAnchors, updateAnchors } from './anchors.js';
import { EXIT, reject, type Verdict } from './exit-codes.js';
import { checkFeedPage, createRevocationSet, type RevocationSet } from './revocations.js';
import { trustedKeys } from './trusted-keys.js';

/** What a client keeps between runs. */
export interface TrustState {
  anchors: AnchorsDocument;
  feed: {
    issuer: string;
    next_since: number;
    etag: string | null;
    checked_at: string;
    entries: FeedEntry[];
  };
}

export interface SyncOptions {
  /** The TA's base URL, e.g. https://ta.example.com */
  taUrl: string;
  /** Anchors the client trusts (installed out of band, or from a previous sync). */
  trusted: AnchorsDocument;
  /** The feed state of a previous sync with the same TA, if any. */
  feed?: TrustState['feed'];
  now: Date;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Refuse to walk more versions than this in one go (a hostile TA could claim version 2^31). */
  maxVersions?: number;
}

export interface SyncResult {
  state: TrustState;
  revocations: RevocationSet;
  /** Anchors versions accepted in this sync, ascending. */
  walked: number[];
}

class FetchFailure extends Error {}

async function getJson(
  o: SyncOptions,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: unknown; etag: string | null }> {
  const url = `${o.taUrl.replace(/\/+$/, '')}${path}`;
  let res: Response;
  try {
    res = await (o.fetch ?? fetch)(url, {
      headers: { accept: 'application/json', ...headers },
      redirect: 'error',
      signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
    });
  } catch (err) {
    throw new FetchFailure(`cannot reach ${url}: ${(err as Error).message}`);
  }
  if (res.status === 304) return { status: 304, json: undefined, etag: res.headers.get('etag') };
  if (res.status !== 200) throw new FetchFailure(`${url} answered ${res.status}`);
  try {
    return { status: 200, json: await res.json(), etag: res.headers.get('etag') };
  } catch {
    throw new FetchFailure(`${url} did not answer JSON`);
  }
}

/** Walks the anchors and reads the feed. Never throws for network or trust failures: returns a verdict. */
export async function syncTrust(o: SyncOptions): Promise<Verdict<SyncResult>> {
  try {
    return await sync(o);
  } catch (err) {
    if (err instanceof FetchFailure)
      return reject(
        EXIT.taUnreachable,
        'unreachable',
        `${err.message}: check --ta and the network, or verify offline`,
      );
    throw err;
  }
}

async function sync(o: SyncOptions): Promise<Verdict<SyncResult>> {
  const served = (await getJson(o, '/v1/trust/anchors')).json;
  const cmp = compareServedAnchors(o.trusted, served, o.now);
  if (!cmp.ok) return cmp;
  if (cmp.value.missing.length + 1 > (o.maxVersions ?? 1000)) {
    return reject(
      EXIT.anchorsInvalid,
      'too-many-versions',
      `the TA claims version ${(served as AnchorsDocument).version}, ${cmp.value.missing.length + 1} versions ahead: refusing to walk that far`,
    );
  }
  const updates: unknown[] = [];
  for (const v of cmp.value.missing)
    updates.push((await getJson(o, `/v1/trust/anchors/${v}`)).json);
  if ((served as AnchorsDocument).version > o.trusted.version) updates.push(served);
  const walked = updateAnchors(o.trusted, updates, o.now);
  if (!walked.ok) return walked;
  const anchors = walked.value;
  const keys = trustedKeys(anchors);

  const previous = o.feed?.issuer === anchors.issuer ? o.feed : undefined;
  const set = createRevocationSet(previous?.entries ?? []);
  let since = previous?.next_since ?? 0;
  let etag = previous?.etag ?? null;
  for (let pages = 0; ; pages += 1) {
    if (pages >= 100_000)
      return reject(EXIT.revocationData, 'too-many-pages', 'the revocation feed does not end');
    const res = await getJson(
      o,
      `/v1/revocations?since=${since}`,
      etag ? { 'if-none-match': etag } : {},
    );
    if (res.status === 304) break; // the page after `since` is unchanged: nothing new
    const page = checkFeedPage(res.json, { keys, since, now: o.now, requireFresh: true });
    if (!page.ok)
      return reject(EXIT.revocationData, page.reason, `revocation feed: ${page.message}`);
    set.add(page.page.revocations);
    etag = page.page.has_more ? null : res.etag;
    since = page.page.next_since;
    if (!page.page.has_more) break;
  }
  const state: TrustState = {
    anchors,
    feed: {
      issuer: anchors.issuer,
      next_since: since,
      etag,
      checked_at: o.now.toISOString(),
      entries: set.entries(),
    },
  };
  return {
    ok: true,
    value: { state, revocations: set, walked: updates.map((u) => (u as AnchorsDocument).version) },
  };
}
