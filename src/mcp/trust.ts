// What a guard trusts: the TA's keys (from verified trust anchors — the same keys as the TA's
// JWKS) and the revocation feed. Offline from an anchors file and a saved feed, or online from a
// TA URL (walks the anchors, follows the feed), refreshed by the caller or on a timer.
import type { AnchorsDocument } from '../keys/anchors.js';
import { checkTrustedAnchors, updateAnchors } from '../verifier/anchors.js';
import { syncTrust, type TrustState } from '../verifier/online.js';
import { revocationsFromPages, type RevocationLookup } from '../verifier/revocations.js';
import { trustedKeys, type TrustedKeys } from '../verifier/trusted-keys.js';
import { GuardError } from './errors.js';

export interface GuardTrust {
  readonly keys: TrustedKeys;
  /** Revocations known so far; absent: revocation is not checked (not recommended). */
  readonly revocations?: RevocationLookup;
}

export interface OnlineTrust extends GuardTrust {
  /** Walks the anchors and reads new feed entries now. */
  refresh(): Promise<void>;
  /** The state to save for the next start (or for offline use). */
  readonly state: TrustState;
  stop(): void;
}

/**
 * Offline trust: a trust-anchor document the caller trusts (installed out of band), optional
 * newer versions to walk to, and a saved revocation feed (pages read from since=0).
 */
export function offlineTrust(o: {
  anchors: unknown;
  anchorsUpdates?: unknown[];
  feed?: unknown[];
  now?: Date;
  allowStaleFeed?: boolean;
}): GuardTrust {
  const now = o.now ?? new Date();
  const updates = o.anchorsUpdates ?? [];
  const start = checkTrustedAnchors(o.anchors, now, updates.length > 0);
  if (!start.ok) throw new GuardError('trust-unavailable', start.message);
  const walked = updateAnchors(start.value, updates, now);
  if (!walked.ok) throw new GuardError('trust-unavailable', walked.message);
  const keys = trustedKeys(walked.value);
  if (!o.feed) return { keys };
  const r = revocationsFromPages(o.feed, { keys, now, requireFresh: !o.allowStaleFeed });
  if (!r.ok) throw new GuardError('trust-unavailable', `revocation feed: ${r.message}`);
  return { keys, revocations: r.set };
}

/**
 * Online trust: syncs with `taUrl` from `anchors` (or a saved state) now and every `refreshSeconds`
 * (default 30). A failed refresh keeps the last good state; the feed's own next_update bounds how
 * long that is acceptable (the first sync must succeed).
 */
export async function onlineTrust(o: {
  taUrl: string;
  anchors?: AnchorsDocument;
  state?: TrustState;
  refreshSeconds?: number;
  fetch?: typeof fetch;
  onError?: (err: GuardError) => void;
}): Promise<OnlineTrust> {
  const trusted = o.state?.anchors ?? o.anchors;
  if (!trusted)
    throw new GuardError(
      'trust-unavailable',
      'online trust needs the anchors you trust (or a saved state) to start from',
    );
  let state: TrustState | undefined = o.state;
  let keys: TrustedKeys | undefined;
  let revocations: RevocationLookup | undefined;
  const refresh = async () => {
    const r = await syncTrust({
      taUrl: o.taUrl,
      trusted: state?.anchors ?? trusted,
      feed: state?.feed,
      now: new Date(),
      fetch: o.fetch,
    });
    if (!r.ok) throw new GuardError('trust-unavailable', r.message);
    state = r.value.state;
    keys = trustedKeys(state.anchors);
    revocations = r.value.revocations;
  };
  await refresh();
  const timer = setInterval(
    () => refresh().catch((err: GuardError) => o.onError?.(err)),
    (o.refreshSeconds ?? 30) * 1000,
  );
  timer.unref();
  return {
    get keys() {
      return keys!;
    },
    get revocations() {
      return revocations;
    },
    get state() {
      return state!;
    },
    refresh,
    stop: () => clearInterval(timer),
  };
}
