// Keeps the published CRLs of every CA generation current, off the request path: a revocation
// asks for a refresh of its issuer's CRL (runs right after, coalescing bursts into one more run),
// a timer replaces each CRL well before its nextUpdate — retired and revoked generations too —
// and reads serve the newest stored CRL from a small in-memory cache.
import { NotFoundError, ServiceUnavailableError } from '../errors.js';
import { crlIssuers, isStale, publishCrl, type CrlPublicationDeps } from './crl-publication.js';
import type { PublishedCrl, StoredCrl } from './store.js';

/** Names the root CA's CRL in `current`, besides its kid. */
export const ROOT_CRL = 'root';

export interface CrlPublisher {
  /**
   * Asks for a new CRL of the CA `issuerKid` soon (after a revocation); without a kid, of every
   * CA that publishes one (after an authority-key change). Never throws, never waits.
   */
  requestRefresh(issuerKid?: string): void;
  /**
   * The newest stored CRL of the CA `kid` — an issuing generation, the root's kid or `root`;
   * default the active issuing CA (any instance may have published it). NotFoundError for a kid
   * that names none of our CAs.
   */
  current(kid?: string): Promise<StoredCrl>;
  /** Publishes the CRL of every CA that publishes one, unless a fresh one exists; used at start-up. */
  ensurePublished(): Promise<PublishedCrl[]>;
  /** Starts the periodic freshness check. */
  start(): void;
  /** Stops timers and waits for a running publication. */
  stop(): Promise<void>;
  /** Resolves once no publication is running or pending (tests). */
  idle(): Promise<void>;
}

export interface CrlPublisherOptions extends CrlPublicationDeps {
  /** Called with any error of a background publication (it is retried). */
  onError(err: unknown): void;
  /** How often to check freshness; default a tenth of the CRL validity, at most 5 minutes. */
  checkEveryMs?: number;
  /** Delay before retrying a failed publication. */
  retryAfterMs?: number;
}

export function createCrlPublisher(o: CrlPublisherOptions): CrlPublisher {
  const ca = o.authority;
  const stores = o.persistence.stores;
  const checkEveryMs = o.checkEveryMs ?? Math.min(ca.crlValidityMs / 10, 5 * 60_000);
  /** What to do next: publish these CAs' CRLs unconditionally, and/or check freshness of all. */
  const pending = { refresh: new Set<string>(), check: false };
  let running: Promise<void> | undefined;
  let interval: NodeJS.Timeout | undefined;
  let retry: NodeJS.Timeout | undefined;
  let stopped = false;
  const cache = new Map<string, StoredCrl>();

  // Drains `pending`: one publication at a time in this process (the database lock orders
  // publications across processes). Runs on a later tick, never inside the caller's request.
  async function drain(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    try {
      while ((pending.refresh.size > 0 || pending.check) && !stopped) {
        const refresh = [...pending.refresh];
        const check = pending.check;
        pending.refresh.clear();
        pending.check = false;
        try {
          for (const kid of refresh) if (ca.byKid(kid)) await publishCrl(o, kid);
          if (check)
            for (const g of crlIssuers(ca, o.persistence.clock.now()))
              await publishCrl(o, g.kid, { onlyIfStale: true });
        } catch (err) {
          o.onError(err);
          if (!stopped) {
            clearTimeout(retry);
            retry = setTimeout(() => schedule(refresh), o.retryAfterMs ?? 5_000); // a check runs on its timer anyway
            retry.unref();
          }
          break;
        }
      }
    } finally {
      running = undefined;
    }
  }

  /** `refresh`: the kids whose CRL to publish now; none: a freshness check of every CRL. */
  function schedule(refresh: string[]): void {
    if (stopped) return;
    if (refresh.length > 0) for (const kid of refresh) pending.refresh.add(kid);
    else pending.check = true;
    running ??= drain();
  }

  async function load(kid: string): Promise<StoredCrl | undefined> {
    const latest = await stores.crls.latestInfo(kid);
    if (!latest) return undefined;
    if (isStale(latest, o.persistence.clock.now(), ca.crlValidityMs)) schedule([]);
    const cached = cache.get(kid);
    if (cached?.crlNumber === latest.crlNumber) return cached;
    const crl = await stores.crls.findByNumber(latest.crlNumber);
    if (crl && (!cached || crl.crlNumber > cached.crlNumber)) cache.set(kid, crl);
    return crl;
  }

  return {
    requestRefresh: (issuerKid) =>
      schedule(
        issuerKid ? [issuerKid] : crlIssuers(ca, o.persistence.clock.now()).map((g) => g.kid),
      ),
    current: async (name) => {
      const kid = name === undefined ? ca.issuingKid : name === ROOT_CRL ? ca.rootKid : name;
      if (!ca.byKid(kid)) throw new NotFoundError(`no CA ${kid}`);
      // A newer CRL may be pruned between the two reads when instances publish quickly: re-read.
      for (let i = 0; i < 3; i += 1) {
        const crl = await load(kid);
        if (crl) return crl;
        if (!(await stores.crls.latestInfo(kid))) break;
      }
      schedule([]);
      throw new ServiceUnavailableError('no CRL has been published yet; retry shortly');
    },
    ensurePublished: async () => {
      const out: PublishedCrl[] = [];
      for (const g of crlIssuers(ca, o.persistence.clock.now()))
        out.push(await publishCrl(o, g.kid, { onlyIfStale: true }));
      return out;
    },
    start: () => {
      if (interval || stopped) return;
      interval = setInterval(() => schedule([]), checkEveryMs);
      interval.unref();
    },
    stop: async () => {
      stopped = true;
      clearInterval(interval);
      clearTimeout(retry);
      await running;
    },
    idle: async () => {
      while (running) await running;
    },
  };
}
