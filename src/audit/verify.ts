// Recomputes the whole audit chain and names the first event that does not fit.
import { computeEventHash, GENESIS_HASH } from './event.js';
import type { AuditStore } from './store.js';

export interface ChainVerification {
  ok: boolean;
  /** How many events were checked. */
  checked: number;
  /** Sequence number of the newest event (0 for an empty log). */
  head_seq: number;
  head_hash: string;
  /** The first sequence number whose event is altered, missing or out of place. */
  first_broken_seq: number | null;
  reason: 'hash-mismatch' | 'broken-link' | 'sequence-gap' | null;
}

/** Walks the chain in pages from seq 1, checking each hash, link and sequence number. */
export async function verifyAuditChain(store: AuditStore, pageSize = 2000): Promise<ChainVerification> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  for (;;) {
    const page = await store.listAfter(expectedSeq - 1, pageSize);
    if (page.length === 0) break;
    for (const e of page) {
      const broken = (reason: ChainVerification['reason'], seq: number): ChainVerification => ({
        ok: false,
        checked,
        head_seq: expectedSeq - 1,
        head_hash: prevHash,
        first_broken_seq: seq,
        reason,
      });
      if (e.seq !== expectedSeq) return broken('sequence-gap', expectedSeq);
      if (e.prevHash !== prevHash) return broken('broken-link', e.seq);
      if (computeEventHash(e) !== e.hash) return broken('hash-mismatch', e.seq);
      prevHash = e.hash;
      expectedSeq += 1;
      checked += 1;
    }
  }
  return { ok: true, checked, head_seq: expectedSeq - 1, head_hash: prevHash, first_broken_seq: null, reason: null };
}
