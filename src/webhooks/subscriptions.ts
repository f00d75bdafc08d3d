// Registering, reading and deleting webhook subscriptions, and reading their delivery history.
// Publishers own theirs; admins may read and delete any and own the ones they register. Another
// publisher's subscription is reported as absent, so ids do not leak across publishers.
import { appendAuditEvent } from '../audit/append.js';
import { seal } from '../crypto/kek.js';
import { randomId } from '../crypto/random.js';
import { ConflictError, InvalidRequestError, NotFoundError } from '../errors.js';
import { actorOf, assertActsFor, type Principal } from '../auth/principal.js';
import type { RevocationKind } from '../revocation/revocation.js';
import type { Persistence } from '../stores.js';
import { checkWebhookUrl } from './webhook-url.js';
import {
  DESCRIPTION_MAX,
  SECRET_MAX,
  SECRET_MIN,
  secretAad,
  type DeliveryStatus,
  type WebhookDelivery,
  type WebhookSubscription,
} from './webhook.js';

export interface CreateWebhookInput {
  url: string;
  secret: string;
  kinds?: RevocationKind[];
  description?: string | null;
}

export interface WebhookSettings {
  kek: Buffer;
  /** Loopback and private targets and plain http allowed (TA_ALLOW_PRIVATE_WEBHOOKS). */
  allowPrivate: boolean;
}

/**
 * Live subscriptions one owner (a publisher, or the admins) may hold: every revocation is queued
 * for every subscription, so the count bounds what one owner can make the TA send.
 */
export const MAX_SUBSCRIPTIONS_PER_OWNER = 50;

/** Registers a subscription owned by the caller's publisher (admins: by the TA). */
export async function createWebhook(
  p: Persistence,
  settings: WebhookSettings,
  principal: Principal,
  input: CreateWebhookInput,
): Promise<WebhookSubscription> {
  const url = checkWebhookUrl(input.url, settings.allowPrivate);
  if (input.secret.length < SECRET_MIN || input.secret.length > SECRET_MAX) {
    throw InvalidRequestError.field(
      'body.secret',
      `must be ${SECRET_MIN}–${SECRET_MAX} characters (use a random value)`,
    );
  }
  const description = input.description?.trim() || null;
  if (description && description.length > DESCRIPTION_MAX)
    throw InvalidRequestError.field(
      'body.description',
      `must be at most ${DESCRIPTION_MAX} characters`,
    );
  const id = randomId('whk_');
  const subscription: WebhookSubscription = {
    id,
    publisherId: principal.role === 'admin' ? null : principal.publisherId,
    url,
    sealedSecret: seal(settings.kek, Buffer.from(input.secret, 'utf8'), secretAad(id)),
    kinds: [...new Set(input.kinds ?? [])].sort(),
    description,
    createdAt: p.clock.now(),
    createdBy: actorOf(principal),
    deletedAt: null,
  };
  if (subscription.publisherId !== null) assertActsFor(principal, subscription.publisherId);
  await p.transact(async (s) => {
    // TODO: two concurrent registrations may both pass this count (one over the limit at most
    // per concurrent request); a per-owner lock would make it exact.
    if ((await s.webhooks.list(subscription.publisherId)).length >= MAX_SUBSCRIPTIONS_PER_OWNER) {
      throw new ConflictError(
        `at most ${MAX_SUBSCRIPTIONS_PER_OWNER} webhooks per publisher; delete one first`,
        [
          {
            field: 'body.url',
            message: `the publisher already has ${MAX_SUBSCRIPTIONS_PER_OWNER} webhooks`,
          },
        ],
      );
    }
    await s.webhooks.insert(subscription);
    await appendAuditEvent(s, p.clock, {
      actor: subscription.createdBy,
      action: 'webhook.created',
      subject: `webhook:${id}`,
      data: { publisher_id: subscription.publisherId, url, kinds: subscription.kinds },
    });
  });
  return subscription;
}

function visibleTo(principal: Principal, w: WebhookSubscription): boolean {
  return (
    principal.role === 'admin' ||
    (w.publisherId !== null && w.publisherId === principal.publisherId)
  );
}

/** A subscription the caller may read (admins: any; others: their publisher's). */
export async function getWebhook(
  p: Persistence,
  principal: Principal,
  id: string,
): Promise<WebhookSubscription> {
  const w = await p.stores.webhooks.find(id);
  if (!w || !visibleTo(principal, w)) throw new NotFoundError(`no webhook ${id}`);
  return w;
}

/** Whether a subscription `id` exists, whoever owns it (admins). */
export async function webhookExists(p: Persistence, id: string): Promise<boolean> {
  return (await p.stores.webhooks.find(id)) !== undefined;
}

/** One delivery of a subscription the caller may read (404 otherwise), or undefined. */
export async function findDelivery(
  p: Persistence,
  principal: Principal,
  id: string,
  revocationSeq: number,
): Promise<{ webhook: WebhookSubscription; delivery: WebhookDelivery } | undefined> {
  const webhook = await getWebhook(p, principal, id);
  const delivery = await p.stores.webhookOutbox.findDelivery(id, revocationSeq);
  return delivery ? { webhook, delivery } : undefined;
}

/** Live subscriptions the caller may read. */
export async function listWebhooks(
  p: Persistence,
  principal: Principal,
): Promise<WebhookSubscription[]> {
  if (principal.role === 'admin') return p.stores.webhooks.list('all');
  // A token of no publisher that is not an admin's (a TA-wide auditor) owns no webhooks, and the
  // admins' own (owner null) are not its to read.
  return principal.publisherId === null ? [] : p.stores.webhooks.list(principal.publisherId);
}

/** Deletes a subscription and cancels its pending deliveries. Deleting again changes nothing. */
export async function deleteWebhook(
  p: Persistence,
  principal: Principal,
  id: string,
): Promise<WebhookSubscription> {
  const w = await getWebhook(p, principal, id);
  if (w.publisherId !== null) assertActsFor(principal, w.publisherId);
  return p.transact(async (s) => {
    const at = p.clock.now();
    if (!(await s.webhooks.markDeleted(id, at))) return (await s.webhooks.find(id))!;
    const cancelled = await s.webhookOutbox.cancelPending(id, at);
    await appendAuditEvent(s, p.clock, {
      actor: actorOf(principal),
      action: 'webhook.deleted',
      subject: `webhook:${id}`,
      data: { publisher_id: w.publisherId, cancelled_deliveries: cancelled },
    });
    return { ...w, deletedAt: at };
  });
}

/** Delivery history of a subscription, newest first. */
export async function listDeliveries(
  p: Persistence,
  principal: Principal,
  id: string,
  o: { beforeSeq?: number; limit: number; status?: DeliveryStatus },
): Promise<WebhookDelivery[]> {
  await getWebhook(p, principal, id);
  return p.stores.webhookOutbox.listBySubscription(id, o);
}

/**
 * Retries a dead letter: a delivery given up after its last attempt (status failed) goes back
 * in the queue with a fresh series of attempts (same back-off), due now. Owner or admin; audited.
 */
export async function retryDelivery(
  p: Persistence,
  principal: Principal,
  id: string,
  revocationSeq: number,
): Promise<WebhookDelivery> {
  const w = await getWebhook(p, principal, id);
  if (w.publisherId !== null) assertActsFor(principal, w.publisherId);
  if (w.deletedAt)
    throw new ConflictError(`webhook ${id} is deleted: its deliveries cannot be retried`);
  return p.transact(async (s) => {
    const found = await s.webhookOutbox.findDelivery(id, revocationSeq);
    if (!found)
      throw new NotFoundError(`webhook ${id} has no delivery of revocation ${revocationSeq}`);
    const requeued =
      found.status === 'failed'
        ? await s.webhookOutbox.requeueFailed(id, revocationSeq, p.clock.now())
        : undefined;
    if (!requeued)
      throw new ConflictError(
        `only a failed (dead-letter) delivery can be retried; this one is ${found.status}`,
      );
    await appendAuditEvent(s, p.clock, {
      actor: actorOf(principal),
      action: 'webhook.delivery_retried',
      subject: `webhook:${id}`,
      data: {
        publisher_id: w.publisherId,
        revocation_seq: revocationSeq,
        previous_attempts: found.attempts,
      },
    });
    return requeued;
  });
}
