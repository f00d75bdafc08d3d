// drizzle implementations of WebhookStore and WebhookOutbox.
import { and, asc, desc, eq, inArray, isNull, lt, lte, sql } from 'drizzle-orm';
import type { Revocation, RevocationKind } from '../../revocation/revocation.js';
import type { WebhookOutbox, WebhookStore } from '../../webhooks/store.js';
import type {
  DeliveryStatus,
  WebhookDelivery,
  WebhookSubscription,
} from '../../webhooks/webhook.js';
import type { Database } from '../client.js';
import { revocations, webhookDeliveries, webhookSubscriptions } from '../schema/index.js';

type SubscriptionRow = typeof webhookSubscriptions.$inferSelect;
type DeliveryRow = typeof webhookDeliveries.$inferSelect;

const toSubscription = (r: SubscriptionRow): WebhookSubscription => ({
  ...r,
  kinds: r.kinds as RevocationKind[],
});
const toDelivery = (r: DeliveryRow): WebhookDelivery => ({
  ...r,
  status: r.status as DeliveryStatus,
});

/** Deliveries pending and due at `now`, of subscriptions not deleted (joined on the subscription). */
function dueAt(now: Date) {
  return and(
    eq(webhookDeliveries.status, 'pending'),
    lte(webhookDeliveries.nextAttemptAt, now),
    isNull(webhookSubscriptions.deletedAt),
  );
}

export function webhookStore(db: Database): WebhookStore {
  return {
    insert: async (w) => {
      await db.insert(webhookSubscriptions).values(w);
    },
    find: async (id) => {
      const [row] = await db
        .select()
        .from(webhookSubscriptions)
        .where(eq(webhookSubscriptions.id, id))
        .limit(1);
      return row ? toSubscription(row) : undefined;
    },
    list: async (owner) => {
      const live = isNull(webhookSubscriptions.deletedAt);
      const where =
        owner === 'all'
          ? live
          : and(
              live,
              owner === null
                ? isNull(webhookSubscriptions.publisherId)
                : eq(webhookSubscriptions.publisherId, owner),
            );
      return (
        await db
          .select()
          .from(webhookSubscriptions)
          .where(where)
          .orderBy(asc(webhookSubscriptions.createdAt), asc(webhookSubscriptions.id))
      ).map(toSubscription);
    },
    markDeleted: async (id, at) => {
      const rows = await db
        .update(webhookSubscriptions)
        .set({ deletedAt: at })
        .where(and(eq(webhookSubscriptions.id, id), isNull(webhookSubscriptions.deletedAt)))
        .returning({ id: webhookSubscriptions.id });
      return rows.length === 1;
    },
  };
}

export function webhookOutbox(db: Database): WebhookOutbox {
  const d = webhookDeliveries;
  return {
    enqueue: async ({ fromSeq, toSeq, at }) => {
      const when = at.toISOString();
      const result = await db.execute(sql`
        insert into ${d} (subscription_id, revocation_seq, status, attempts, next_attempt_at, created_at)
        select s.id, r.seq, 'pending', 0, ${when}::timestamptz, ${when}::timestamptz
        from ${webhookSubscriptions} s
        join ${revocations} r on r.seq >= ${fromSeq} and r.seq <= ${toSeq}
        where s.deleted_at is null and (cardinality(s.kinds) = 0 or r.kind = any(s.kinds))
        on conflict do nothing`);
      // postgres.js reports `count`, PGlite `affectedRows` (STACK-NOTES.md pitfall 6).
      const r = result as unknown as { count?: number; affectedRows?: number };
      return Number(r.count ?? r.affectedRows ?? 0);
    },
    dueOwners: async ({ now, limit }) => {
      const rows = await db
        .select({
          owner: webhookSubscriptions.publisherId,
          first: sql<Date>`min(${d.nextAttemptAt})`,
        })
        .from(d)
        .innerJoin(webhookSubscriptions, eq(webhookSubscriptions.id, d.subscriptionId))
        .where(dueAt(now))
        .groupBy(webhookSubscriptions.publisherId)
        .orderBy(sql`min(${d.nextAttemptAt})`)
        .limit(limit);
      return rows.map((r) => r.owner);
    },
    claimDue: async ({ now, leaseUntil, limit, owner }) => {
      const ofOwner =
        owner === undefined
          ? undefined
          : owner === null
            ? isNull(webhookSubscriptions.publisherId)
            : eq(webhookSubscriptions.publisherId, owner);
      const due = db
        .select({ id: d.id })
        .from(d)
        .innerJoin(webhookSubscriptions, eq(webhookSubscriptions.id, d.subscriptionId))
        .where(and(dueAt(now), ofOwner))
        .orderBy(asc(d.nextAttemptAt), asc(d.id))
        .limit(limit)
        .for('update', { of: d, skipLocked: true });
      const claimed = await db
        .update(d)
        .set({ attempts: sql`${d.attempts} + 1`, lastAttemptAt: now, nextAttemptAt: leaseUntil })
        .where(inArray(d.id, due))
        .returning();
      if (claimed.length === 0) return [];
      const rows = await db
        .select({
          id: d.id,
          url: webhookSubscriptions.url,
          sealedSecret: webhookSubscriptions.sealedSecret,
          revocation: revocations,
        })
        .from(d)
        .innerJoin(webhookSubscriptions, eq(webhookSubscriptions.id, d.subscriptionId))
        .innerJoin(revocations, eq(revocations.seq, d.revocationSeq))
        .where(
          inArray(
            d.id,
            claimed.map((c) => c.id),
          ),
        );
      const byId = new Map(rows.map((r) => [r.id, r]));
      return claimed.map((c) => {
        const r = byId.get(c.id)!;
        const revocation: Revocation = {
          ...r.revocation,
          kind: r.revocation.kind as RevocationKind,
          data: r.revocation.data as Record<string, unknown>,
        };
        return { delivery: toDelivery(c), url: r.url, sealedSecret: r.sealedSecret, revocation };
      });
    },
    markDelivered: async (id, { at, statusCode }) => {
      await db
        .update(d)
        .set({ status: 'delivered', deliveredAt: at, lastStatusCode: statusCode, lastError: null })
        .where(and(eq(d.id, id), eq(d.status, 'pending')));
    },
    markFailed: async (id, { at, statusCode, error, retryAt }) => {
      await db
        .update(d)
        .set({
          status: retryAt ? 'pending' : 'failed',
          lastStatusCode: statusCode,
          lastError: error,
          nextAttemptAt: retryAt ?? at,
        })
        .where(and(eq(d.id, id), eq(d.status, 'pending')));
    },
    cancelPending: async (subscriptionId, at) =>
      (
        await db
          .update(d)
          .set({ status: 'cancelled', nextAttemptAt: at })
          .where(and(eq(d.subscriptionId, subscriptionId), eq(d.status, 'pending')))
          .returning({ id: d.id })
      ).length,
    listBySubscription: async (subscriptionId, { beforeSeq, limit, status }) =>
      (
        await db
          .select()
          .from(d)
          .where(
            and(
              eq(d.subscriptionId, subscriptionId),
              beforeSeq === undefined ? undefined : lt(d.revocationSeq, beforeSeq),
              status === undefined ? undefined : eq(d.status, status),
            ),
          )
          .orderBy(desc(d.revocationSeq))
          .limit(limit)
      ).map(toDelivery),
    findDelivery: async (subscriptionId, revocationSeq) => {
      const [row] = await db
        .select()
        .from(d)
        .where(and(eq(d.subscriptionId, subscriptionId), eq(d.revocationSeq, revocationSeq)))
        .limit(1);
      return row ? toDelivery(row) : undefined;
    },
    requeueFailed: async (subscriptionId, revocationSeq, at) => {
      const [row] = await db
        .update(d)
        .set({ status: 'pending', attempts: 0, nextAttemptAt: at })
        .where(
          and(
            eq(d.subscriptionId, subscriptionId),
            eq(d.revocationSeq, revocationSeq),
            eq(d.status, 'failed'),
          ),
        )
        .returning();
      return row ? toDelivery(row) : undefined;
    },
    nextDueAt: async () => {
      const [row] = await db
        .select({ at: d.nextAttemptAt })
        .from(d)
        .where(eq(d.status, 'pending'))
        .orderBy(asc(d.nextAttemptAt))
        .limit(1);
      return row?.at;
    },
  };
}
