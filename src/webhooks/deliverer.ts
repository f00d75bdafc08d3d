// Delivers queued webhook events: claims due rows of the outbox (several instances may run this:
// claims skip rows another one holds, and a claim is a lease, so a crash mid-send means a later
// retry, never a loss), POSTs each signed event, and records the answer. A 2xx is delivered;
// anything else is retried with exponential backoff and jitter, up to `maxAttempts`. The queue is
// in the database, so deliveries survive restarts.
//
// Isolation: every delivery is sent on its own, with its own timeout, and the next one starts as
// soon as a slot is free — nothing waits for a batch's slowest request. Each owner (publisher, or
// the admins for the TA's own subscriptions) has at most `perOwnerConcurrency` requests in flight
// and is claimed for separately, so one publisher's never-answering targets hold only its own
// slots while every other publisher's deliveries go out at once.
import { open } from '../crypto/kek.js';
import type { Persistence } from '../stores.js';
import { EVENT_ID_HEADER, eventBody, SIGNATURE_HEADER, signWebhookBody } from './event.js';
import type { ClaimedDelivery } from './store.js';
import { secretAad } from './webhook.js';

export interface DeliveryTimings {
  /** How often the outbox is checked when nothing is due sooner. */
  pollMs: number;
  /** How long a claimed delivery is held before another attempt may take it. */
  leaseMs: number;
  /** Per request. Must stay well below leaseMs. */
  timeoutMs: number;
  /** Wait after the first failure; doubles per attempt up to maxBackoffMs. */
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** Attempts before a delivery is given up (status failed). */
  maxAttempts: number;
  /** Deliveries claimed per owner per claim. */
  batch: number;
  /** Requests in flight at once, in all. */
  concurrency: number;
  /** Requests in flight at once for one owner (publisher, or the admins). */
  perOwnerConcurrency: number;
}

/** About 5 s, 10 s, 20 s … then hourly: 20 attempts span roughly half a day. */
export const DEFAULT_DELIVERY_TIMINGS: DeliveryTimings = {
  // A takedown must reach webhooks within 1 s (issue 17): nothing wakes the loop when a
  // revocation commits, so the poll interval bounds the latency. One indexed query per poll.
  pollMs: 250,
  leaseMs: 60_000,
  timeoutMs: 10_000,
  baseBackoffMs: 5_000,
  maxBackoffMs: 3_600_000,
  maxAttempts: 20,
  batch: 20,
  concurrency: 64,
  perOwnerConcurrency: 8,
};

/** Sends one request; resolves with the HTTP status or throws (no answer: refused, blocked, timeout). */
export type WebhookPoster = (
  url: string,
  body: Buffer,
  headers: Record<string, string>,
  timeoutMs: number,
) => Promise<{ status: number }>;

export interface DelivererOptions {
  kek: Buffer;
  /** The TA's name, written into events. */
  issuer: string;
  post: WebhookPoster;
  log: { warn(obj: object, msg: string): void };
  timings?: Partial<DeliveryTimings>;
}

export interface WebhookDeliverer {
  /** One round: claims due deliveries, sends them and waits for them; returns how many were attempted. */
  runOnce(): Promise<number>;
  /** Requests in flight now, per owner (publisher id; "" for the admins'). */
  inFlight(): Map<string, number>;
  /** Stops the loop and waits for the round in flight. */
  stop(): Promise<void>;
}

/** Wait before the next attempt after `attempts` failed ones (full jitter on the upper half). */
export function backoffMs(
  attempts: number,
  t: Pick<DeliveryTimings, 'baseBackoffMs' | 'maxBackoffMs'>,
): number {
  const ceiling = Math.min(t.maxBackoffMs, t.baseBackoffMs * 2 ** Math.min(attempts - 1, 30));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/** Starts the delivery loop (call stop() on shutdown). */
export function startWebhookDeliverer(p: Persistence, o: DelivererOptions): WebhookDeliverer {
  const t: DeliveryTimings = { ...DEFAULT_DELIVERY_TIMINGS, ...o.timings };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  async function send(c: ClaimedDelivery): Promise<void> {
    const { delivery } = c;
    const { id, body } = eventBody({
      issuer: o.issuer,
      subscriptionId: delivery.subscriptionId,
      revocation: c.revocation,
    });
    let statusCode: number | null = null;
    let error: string;
    try {
      const secret = open(o.kek, c.sealedSecret, secretAad(delivery.subscriptionId)).toString(
        'utf8',
      );
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'mcps-trust-authority (revocation webhook)',
        [SIGNATURE_HEADER]: signWebhookBody(secret, body),
        [EVENT_ID_HEADER]: id,
        'x-mcps-delivery-attempt': String(delivery.attempts),
      };
      statusCode = (await o.post(c.url, body, headers, t.timeoutMs)).status;
      if (statusCode >= 200 && statusCode < 300) {
        await p.stores.webhookOutbox.markDelivered(delivery.id, { at: p.clock.now(), statusCode });
        return;
      }
      error =
        statusCode >= 300 && statusCode < 400
          ? `answered ${statusCode} (redirects are not followed)`
          : `answered ${statusCode}`;
    } catch (err) {
      error = (err as Error).message;
    }
    const now = p.clock.now();
    const retryAt =
      delivery.attempts >= t.maxAttempts
        ? null
        : new Date(now.getTime() + backoffMs(delivery.attempts, t));
    await p.stores.webhookOutbox.markFailed(delivery.id, {
      at: now,
      statusCode,
      error: error.slice(0, 500),
      retryAt,
    });
  }

  const busy = new Map<string, number>();
  const running = new Set<Promise<void>>();
  let total = 0;
  const keyOf = (owner: string | null) => owner ?? '';

  /** Sends one claimed delivery on its own; its slot frees (and the next claim runs) when it ends. */
  function start(c: ClaimedDelivery, key: string): Promise<void> {
    total += 1;
    busy.set(key, (busy.get(key) ?? 0) + 1);
    const job: Promise<void> = send(c)
      .catch((err: unknown) =>
        o.log.warn({ err, delivery: c.delivery.id }, 'webhook delivery not recorded'),
      )
      .finally(() => {
        total -= 1;
        const left = (busy.get(key) ?? 1) - 1;
        if (left > 0) busy.set(key, left);
        else busy.delete(key);
        running.delete(job);
        wake();
      });
    running.add(job);
    return job;
  }

  /**
   * Claims what the free slots allow, owner by owner, and starts it. Returns the started sends and
   * whether an owner with due deliveries was left waiting for its own slots.
   */
  async function claim(): Promise<{ started: Array<Promise<void>>; saturated: boolean }> {
    const started: Array<Promise<void>> = [];
    let saturated = false;
    if (total >= t.concurrency) return { started, saturated: true };
    const now = p.clock.now();
    const owners = await p.stores.webhookOutbox.dueOwners({
      now,
      limit: Math.max(t.concurrency, 1),
    });
    for (const owner of owners) {
      const key = keyOf(owner);
      const free = Math.min(
        t.perOwnerConcurrency - (busy.get(key) ?? 0),
        t.concurrency - total,
        t.batch,
      );
      if (free <= 0) {
        saturated = true;
        continue;
      }
      const claimed = await p.stores.webhookOutbox.claimDue({
        now,
        leaseUntil: new Date(now.getTime() + t.leaseMs),
        limit: free,
        owner,
      });
      for (const c of claimed) started.push(start(c, key));
      if (total >= t.concurrency) break;
    }
    return { started, saturated };
  }

  let claiming: Promise<unknown> | undefined;
  let rerun = false;

  /** Runs a claim now, or right after the one in progress. */
  function wake(): void {
    if (stopped) return;
    if (claiming) {
      rerun = true;
      return;
    }
    if (timer) clearTimeout(timer);
    timer = undefined;
    claiming = tick().finally(() => {
      claiming = undefined;
      if (rerun && !stopped) {
        rerun = false;
        wake();
      }
    });
  }

  async function tick(): Promise<void> {
    let delay = t.pollMs;
    try {
      const { started, saturated } = await claim();
      if (started.length > 0)
        delay = 0; // more may be due for other owners or in more slots
      else if (!saturated) {
        // (A saturated owner's due rows wait for a slot: its sends ending wake the loop.)
        const due = await p.stores.webhookOutbox.nextDueAt();
        if (due) delay = Math.max(0, Math.min(t.pollMs, due.getTime() - p.clock.now().getTime()));
      }
    } catch (err) {
      o.log.warn({ err }, 'webhook delivery round failed');
    }
    if (!stopped) {
      timer = setTimeout(wake, delay);
      timer.unref();
    }
  }

  timer = setTimeout(wake, 0);
  timer.unref();
  return {
    runOnce: async () => {
      const { started } = await claim();
      await Promise.all(started);
      return started.length;
    },
    inFlight: () => new Map(busy),
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await claiming?.catch(() => {});
      // Each send ends within its own timeout; what is still leased is retried after the lease.
      await Promise.all([...running]);
    },
  };
}
