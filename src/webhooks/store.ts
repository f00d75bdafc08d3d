// Storage ports of webhook subscriptions and of their delivery outbox.
import type { Revocation } from '../revocation/revocation.js';
import type { DeliveryStatus, WebhookDelivery, WebhookSubscription } from './webhook.js';

export interface WebhookStore {
  insert(w: WebhookSubscription): Promise<void>;
  find(id: string): Promise<WebhookSubscription | undefined>;
  /** Subscriptions not deleted; of one owner (null: the admins'), or of everyone with 'all'. */
  list(owner: string | null | 'all'): Promise<WebhookSubscription[]>;
  /** Marks it deleted; false when it already was. */
  markDeleted(id: string, at: Date): Promise<boolean>;
}

/** A claimed delivery with what is needed to send it. */
export interface ClaimedDelivery {
  delivery: WebhookDelivery;
  url: string;
  sealedSecret: string;
  revocation: Revocation;
}

export interface WebhookOutbox {
  /**
   * Queues a delivery of every revocation with fromSeq ≤ seq ≤ toSeq to every live subscription
   * whose kinds match, due at `at`. Runs in the revocation's transaction; returns how many.
   */
  enqueue(o: { fromSeq: number; toSeq: number; at: Date }): Promise<number>;
  /**
   * Takes up to `limit` pending deliveries due at `now` (skipping rows another instance holds),
   * counts the attempt and pushes their due time to `leaseUntil`, so a crash mid-send only delays
   * them. Deliveries of deleted subscriptions are not claimed.
   */
  claimDue(o: {
    now: Date;
    leaseUntil: Date;
    limit: number;
    owner?: string | null;
  }): Promise<ClaimedDelivery[]>;
  /**
   * The owners (publisher ids; null for the admins' own subscriptions) that have pending
   * deliveries due at `now`, at most `limit`, those with the oldest due delivery first.
   * `owner` in claimDue takes only that owner's deliveries: the deliverer's per-publisher limit.
   */
  dueOwners(o: { now: Date; limit: number }): Promise<Array<string | null>>;
  markDelivered(id: number, o: { at: Date; statusCode: number }): Promise<void>;
  /** Records a failed attempt; `retryAt` null gives up (status failed). */
  markFailed(
    id: number,
    o: { at: Date; statusCode: number | null; error: string; retryAt: Date | null },
  ): Promise<void>;
  cancelPending(subscriptionId: string, at: Date): Promise<number>;
  /** Newest revocation first; `beforeSeq` pages backwards; `status` keeps only that state. */
  listBySubscription(
    subscriptionId: string,
    o: { beforeSeq?: number; limit: number; status?: DeliveryStatus },
  ): Promise<WebhookDelivery[]>;
  /** The delivery of one revocation to one subscription. */
  findDelivery(subscriptionId: string, revocationSeq: number): Promise<WebhookDelivery | undefined>;
  /**
   * Puts a failed (dead-letter) delivery back in the queue with a fresh series of attempts, due
   * at `at`; undefined when it is not failed (any more).
   */
  requeueFailed(
    subscriptionId: string,
    revocationSeq: number,
    at: Date,
  ): Promise<WebhookDelivery | undefined>;
  /** When the soonest pending delivery is due, if any. */
  nextDueAt(): Promise<Date | undefined>;
}
