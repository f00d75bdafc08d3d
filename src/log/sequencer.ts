// The log sequencer: every instance runs one, and in each batch transaction whichever takes the
// sequencer lock (a non-blocking advisory transaction lock) sequences; the others skip the
// round. So exactly one sequences at a time, and if an instance dies the next round of any other
// takes over (≤ one interval later). Events are taken only once their transaction committed
// (they are invisible before), so a reader never sees seq N+1 before N: both become visible
// when the batch that numbered them commits, and batches are serialised by the lock.
import type { Persistence } from '../stores.js';
import { signCheckpoint, type CheckpointSigners } from './checkpoint.js';
import { sequenceStep } from './sequence.js';

export interface SequencerOptions {
  persistence: Persistence;
  signers: () => CheckpointSigners;
  /** Pause between rounds when there was nothing more to do (default 250 ms). */
  intervalMs?: number;
  /** Events per batch (default 500). A full batch is followed at once by the next. */
  batchSize?: number;
  /** A new checkpoint is signed when the last one is older than this and the tree grew (default 500 ms). */
  checkpointIntervalMs?: number;
  onError(err: unknown): void;
}

export interface RoundResult {
  /** False when another instance held the lock this round. */
  led: boolean;
  appended: number;
  treeSize: number;
  /** A checkpoint signed in this round, by size. */
  checkpointed: number | null;
}

export interface LogSequencer {
  start(): void;
  stop(): Promise<void>;
  /** One round: one batch transaction (and a checkpoint if due or `forceCheckpoint`). */
  round(o?: { forceCheckpoint?: boolean }): Promise<RoundResult>;
  /**
   * Waits until every event committed before the call is sequenced and in a signed checkpoint,
   * running rounds itself (another instance may be the one that sequences). Throws after `timeoutMs`.
   */
  flush(timeoutMs?: number): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createLogSequencer(o: SequencerOptions): LogSequencer {
  const p = o.persistence;
  const intervalMs = o.intervalMs ?? 250;
  const batchSize = o.batchSize ?? 500;
  const checkpointIntervalMs = o.checkpointIntervalMs ?? 500;
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  const round = (r: { forceCheckpoint?: boolean } = {}): Promise<RoundResult> =>
    p.transact(async (s) => {
      if (!(await s.log.tryLock()))
        return { led: false, appended: 0, treeSize: -1, checkpointed: null };
      const batch = await sequenceStep(s, { limit: batchSize });
      const latest = await s.log.latestCheckpoint();
      const now = p.clock.now();
      const grown = batch.treeSize > (latest?.treeSize ?? -1);
      const due =
        !latest ||
        now.getTime() - latest.signedAt.getTime() >= checkpointIntervalMs ||
        r.forceCheckpoint === true;
      let checkpointed: number | null = null;
      if (grown && due) {
        const stored = await s.log.putCheckpoint(
          signCheckpoint(o.signers(), batch.treeSize, batch.rootHash, now),
        );
        // Compare-and-swap: a size that already has a checkpoint keeps it; a different root for
        // it would mean a forked tree, and nothing is committed.
        if (!stored.rootHash.equals(batch.rootHash))
          throw new Error(`log root for tree size ${batch.treeSize} differs from its checkpoint`);
        checkpointed = batch.treeSize;
      }
      return { led: true, appended: batch.appended.length, treeSize: batch.treeSize, checkpointed };
    });

  async function run(): Promise<void> {
    /** Rounds failed in a row (the database is away): the wait doubles, up to 5 s. */
    let failures = 0;
    while (running) {
      let full = false;
      try {
        const r = await round();
        full = r.appended >= batchSize;
        failures = 0;
      } catch (err) {
        o.onError(err);
        failures += 1;
      }
      const waitMs = failures === 0 ? intervalMs : Math.min(intervalMs * 2 ** failures, 5_000);
      if (!full && running)
        await new Promise<void>((resolve) => {
          // Unref'd: a background loop never keeps the process alive on its own.
          const t = setTimeout(resolve, waitMs).unref();
          wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
    }
  }

  return {
    start: () => {
      if (running) return;
      running = true;
      loop = run();
    },
    stop: async () => {
      running = false;
      wake?.();
      await loop;
    },
    round,
    flush: async (timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      const mark = await p.stores.log.newestUnsequencedId();
      for (;;) {
        const pending = mark !== null && (await p.stores.log.hasUnsequencedUpTo(mark));
        if (!pending) {
          const [size, latest] = [
            await p.stores.log.maxSeq(),
            await p.stores.log.latestCheckpoint(),
          ];
          if (size === 0 || (latest?.treeSize ?? 0) >= size) return;
        }
        const r = await round({ forceCheckpoint: true });
        if (Date.now() > deadline) throw new Error('log sequencing did not catch up in time');
        if (!r.led || r.appended === 0) await sleep(10);
      }
    },
  };
}
