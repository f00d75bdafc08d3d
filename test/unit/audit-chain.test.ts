import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appendAuditEvent } from '../../src/audit/append.js';
import type { AuditEvent } from '../../src/audit/event.js';
import type { AuditStore } from '../../src/audit/store.js';
import { verifyAuditChain } from '../../src/audit/verify.js';
import { fixedClock } from '../../src/clock.js';

// An in-memory AuditStore: the chain rules are pure and tested here; the real store is tested
// through the app in test/integration/audit.test.ts.
function memoryStore(): AuditStore & { rows: AuditEvent[] } {
  const rows: AuditEvent[] = [];
  return {
    rows,
    last: async () => rows[rows.length - 1],
    insert: async (e) => void rows.push(e),
    listAfter: async (after, limit) => rows.filter((e) => e.seq > after).slice(0, limit),
    listNewest: async (q) =>
      rows
        .filter((e) => (q.before === undefined || e.seq < q.before) && (!q.actor || e.actor === q.actor))
        .filter((e) => (!q.action || e.action === q.action) && (!q.subject || e.subject === q.subject))
        .reverse()
        .slice(0, q.limit),
  };
}

async function chainOf(n: number) {
  const store = memoryStore();
  // `publisher:` subjects name their owner without a lookup: no other store is needed.
  const s = { audit: store, locks: { acquire: async () => {} } } as unknown as Parameters<typeof appendAuditEvent>[0];
  const clock = fixedClock(new Date('2026-01-01T00:00:00Z'));
  for (let i = 0; i < n; i += 1) {
    await appendAuditEvent(s, clock, { actor: 'system', action: 'publisher.created', subject: `publisher:${i}`, data: { i } });
    clock.advance(1000);
  }
  return store;
}

describe('audit hash chain', () => {
  it('links each event to the previous one and verifies', async () => {
    const store = await chainOf(5);
    assert.deepEqual(store.rows.map((e) => e.seq), [1, 2, 3, 4, 5]);
    assert.equal(store.rows[1]!.prevHash, store.rows[0]!.hash);
    const r = await verifyAuditChain(store, 2);
    assert.deepEqual({ ok: r.ok, checked: r.checked, head: r.head_seq }, { ok: true, checked: 5, head: 5 });
  });

  it('names the altered event', async () => {
    const store = await chainOf(5);
    store.rows[2] = { ...store.rows[2]!, data: { i: 99 } };
    const r = await verifyAuditChain(store);
    assert.equal(r.first_broken_seq, 3);
    assert.equal(r.reason, 'hash-mismatch');
  });

  it('names a deleted event by its missing sequence number', async () => {
    const store = await chainOf(5);
    store.rows.splice(1, 1);
    const r = await verifyAuditChain(store);
    assert.equal(r.first_broken_seq, 2);
    assert.equal(r.reason, 'sequence-gap');
  });

  it('detects an event whose hash was recomputed after an edit (the next link breaks)', async () => {
    const store = await chainOf(4);
    const { computeEventHash } = await import('../../src/audit/event.js');
    const edited = { ...store.rows[1]!, actor: 'mallory' };
    store.rows[1] = { ...edited, hash: computeEventHash(edited) };
    const r = await verifyAuditChain(store);
    assert.equal(r.first_broken_seq, 3);
    assert.equal(r.reason, 'broken-link');
  });
});
