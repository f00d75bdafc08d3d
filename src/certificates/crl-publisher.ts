// Keeps the published CRLs current, off the request path: a revocation asks for a refresh (runs
// right after, coalescing bursts into one more run), a timer replaces each CRL well before its
// nextUpdate, and reads serve the newest stored CRL from a small in-memory cache.
import { ServiceUnavailableError } from '../errors.js';
import { crlIssuer, isStale, publishCrl, type CrlPublicationDeps, type CrlScope } from './crl-publication.js';
import type { PublishedCrl, StoredCrl } from './store.js';

export interface CrlPublisher {
  /** Asks for a new issuing-CA CRL soon (after a revocation). Never throws, never waits. */
  requestRefresh(): void;
  /** The newest stored CRL of `scope` (any instance may have published it). */
  current(scope?: CrlScope): Promise<StoredCrl>;
  /** Publishes both CRLs now unless fresh ones exist; used at start-up. */
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

const SCOPES: readonly CrlScope[] = ['issuing', 'root'];

export function createCrlPublisher(o: CrlPublisherOptions): CrlPublisher {
  const ca = o.authority;
  const stores = o.persistence.stores;
  const checkEveryMs = o.checkEveryMs ?? Math.min(ca.crlValidityMs / 10, 5 * 60_000);
  /** What to do next: publish the issuing CRL unconditionally, and/or check freshness of both. */
  const pending = { refresh: false, check: false };
  let running: Promise<void> | undefined;
  let interval: NodeJS.Timeout | undefined;
  let retry: NodeJS.Timeout | undefined;
  let stopped = false;
  const cache = new Map<CrlScope, StoredCrl>();

  // Drains `pending`: one publication at a time in this process (the database lock orders
  // publications across processes). Runs on a later tick, never inside the caller's request.
  async function drain(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    try {
      while ((pending.refresh || pending.check) && !stopped) {
        const { refresh, check } = pending;
        pending.refresh = false;
        pending.check = false;
        try {
          if (refresh) await publishCrl(o, 'issuing');
          if (check) for (const scope of SCOPES) await publishCrl(o, scope, { onlyIfStale: true });
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

  function schedule(refresh: boolean): void {
    if (stopped) return;
    if (refresh) pending.refresh = true;
    else pending.check = true;
    running ??= drain();
  }

  async function load(scope: CrlScope): Promise<StoredCrl | undefined> {
    const { kid } = crlIssuer(ca, scope);
    const latest = await stores.crls.latestInfo(kid);
    if (!latest) return undefined;
    if (isStale(latest, o.persistence.clock.now(), ca.crlValidityMs)) schedule(false);
    const cached = cache.get(scope);
    if (cached?.crlNumber === latest.crlNumber) return cached;
    const crl = await stores.crls.findByNumber(latest.crlNumber);
    if (crl && (!cached || crl.crlNumber > cached.crlNumber)) cache.set(scope, crl);
    return crl;
  }

  return {
    requestRefresh: () => schedule(true),
    current: async (scope = 'issuing') => {
      // A newer CRL may be pruned between the two reads when instances publish quickly: re-read.
      for (let i = 0; i < 3; i += 1) {
        const crl = await load(scope);
        if (crl) return crl;
        if (!(await stores.crls.latestInfo(crlIssuer(ca, scope).kid))) break;
      }
      schedule(false);
      throw new ServiceUnavailableError('no CRL has been published yet; retry shortly');
    },
    ensurePublished: async () => {
      const out: PublishedCrl[] = [];
      for (const scope of SCOPES) out.push(await publishCrl(o, scope, { onlyIfStale: true }));
      return out;
    },
    start: () => {
      if (interval || stopped) return;
      interval = setInterval(() => schedule(false), checkEveryMs);
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
