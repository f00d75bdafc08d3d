// Delivers queued webhook events: claims due rows of the outbox (several instances may run this:
// claims skip rows another one holds, and a claim is a lease, so a crash mid-send means a later
// retry, never a loss), POSTs each signed event, and records the answer. A 2xx is delivered;
// anything else is retried with exponential backoff and jitter, up to `maxAttempts`. The queue is
// in the database, so deliveries survive restarts.
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
  /** Deliveries claimed per round. */
  batch: number;
}

/** About 5 s, 10 s, 20 s … then hourly: 20 attempts span roughly half a day. */
export const DEFAULT_DELIVERY_TIMINGS: DeliveryTimings = {
  pollMs: 2_000,
  leaseMs: 60_000,
  timeoutMs: 10_000,
  baseBackoffMs: 5_000,
  maxBackoffMs: 3_600_000,
  maxAttempts: 20,
  batch: 20,
};

/** Sends one request; resolves with the HTTP status or throws (no answer: refused, blocked, timeout). */
export type WebhookPoster = (url: string, body: Buffer, headers: Record<string, string>, timeoutMs: number) => Promise<{ status: number }>;

export interface DelivererOptions {
  kek: Buffer;
  /** The TA's name, written into events. */
  issuer: string;
  post: WebhookPoster;
  log: { warn(obj: object, msg: string): void };
  timings?: Partial<DeliveryTimings>;
}

export interface WebhookDeliverer {
  /** One round: claims due deliveries and sends them; returns how many were attempted. */
  runOnce(): Promise<number>;
  /** Stops the loop and waits for the round in flight. */
  stop(): Promise<void>;
}

/** Wait before the next attempt after `attempts` failed ones (full jitter on the upper half). */
export function backoffMs(attempts: number, t: Pick<DeliveryTimings, 'baseBackoffMs' | 'maxBackoffMs'>): number {
  const ceiling = Math.min(t.maxBackoffMs, t.baseBackoffMs * 2 ** Math.min(attempts - 1, 30));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/** Starts the delivery loop (call stop() on shutdown). */
export function startWebhookDeliverer(p: Persistence, o: DelivererOptions): WebhookDeliverer {
  const t: DeliveryTimings = { ...DEFAULT_DELIVERY_TIMINGS, ...o.timings };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<number> | undefined;

  async function send(c: ClaimedDelivery): Promise<void> {
    const { delivery } = c;
    const { id, body } = eventBody({ issuer: o.issuer, subscriptionId: delivery.subscriptionId, revocation: c.revocation });
    let statusCode: number | null = null;
    let error: string;
    try {
      const secret = open(o.kek, c.sealedSecret, secretAad(delivery.subscriptionId)).toString('utf8');
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
      error = statusCode >= 300 && statusCode < 400 ? `answered ${statusCode} (redirects are not followed)` : `answered ${statusCode}`;
    } catch (err) {
      error = (err as Error).message;
    }
    const now = p.clock.now();
    const retryAt = delivery.attempts >= t.maxAttempts ? null : new Date(now.getTime() + backoffMs(delivery.attempts, t));
    await p.stores.webhookOutbox.markFailed(delivery.id, { at: now, statusCode, error: error.slice(0, 500), retryAt });
  }

  async function round(): Promise<number> {
    const now = p.clock.now();
    const claimed = await p.stores.webhookOutbox.claimDue({ now, leaseUntil: new Date(now.getTime() + t.leaseMs), limit: t.batch });
    await Promise.all(
      claimed.map((c) =>
        send(c).catch((err: unknown) => o.log.warn({ err: { message: (err as Error).message }, delivery: c.delivery.id }, 'webhook delivery not recorded')),
      ),
    );
    return claimed.length;
  }

  async function loop(): Promise<void> {
    timer = undefined;
    if (stopped) return;
    let delay = t.pollMs;
    try {
      inFlight = round();
      const n = await inFlight;
      if (n >= t.batch) delay = 0;
      else {
        const due = await p.stores.webhookOutbox.nextDueAt();
        if (due) delay = Math.max(0, Math.min(t.pollMs, due.getTime() - p.clock.now().getTime()));
      }
    } catch (err) {
      o.log.warn({ err: { message: (err as Error).message } }, 'webhook delivery round failed');
    } finally {
      inFlight = undefined;
    }
    if (!stopped) {
      timer = setTimeout(() => void loop(), delay);
      timer.unref();
    }
  }

  timer = setTimeout(() => void loop(), 0);
  timer.unref();
  return {
    runOnce: round,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight?.catch(() => 0);
    },
  };
}
