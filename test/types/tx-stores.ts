// Type test (checked by `npm run typecheck`, one of the CI checks): the stores bound to no
// transaction can never be passed where a transaction's stores are needed. Each
// `@ts-expect-error` fails the type check the day the line below it compiles.
import { appendAuditEvent } from '../../src/audit/append.js';
import { recordRevocation } from '../../src/revocation/revocation.js';
import type { Persistence, Stores, TxStores } from '../../src/stores.js';

export async function typeTest(p: Persistence): Promise<void> {
  const needsTransaction = (s: TxStores): TxStores => s;

  // @ts-expect-error unbound stores are not a transaction's stores
  needsTransaction(p.stores);
  // @ts-expect-error and they have no locks: a lock outlives nothing outside a transaction
  await p.stores.locks.acquire('authority-keys');
  // @ts-expect-error an audit event outside the transaction of its state change
  await appendAuditEvent(p.stores, p.clock, {
    actor: 'system',
    action: 'authority_key.created',
    subject: 'x',
    data: {},
  });
  // @ts-expect-error a revocation outside a transaction
  await recordRevocation(p.stores, {
    kind: 'key',
    subject: 'x',
    reason: 'unspecified',
    revokedAt: new Date(),
    data: {},
  });
  // @ts-expect-error a look-alike object is not branded either
  needsTransaction({ ...p.stores, locks: { acquire: async () => {}, acquireFor: async () => {} } });

  // What transact gives is, and it still serves every read a Stores serves.
  await p.transact(async (s) => {
    needsTransaction(s);
    const reads: Stores = s;
    await appendAuditEvent(s, p.clock, {
      actor: 'system',
      action: 'authority_key.created',
      subject: 'x',
      data: {},
    });
    return reads;
  });
}
