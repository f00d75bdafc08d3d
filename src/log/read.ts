// Reads of the transparency log for the API: signed checkpoints, entries (whose contents only
// callers allowed to see the event get; every leaf hash is public), inclusion and consistency
// proofs (RFC 9162 §2.1.3–4), and where an event is (write receipts, GET /v1/log/events/{id}).
import type { Principal } from '../auth/principal.js';
import {
  eventDocument,
  eventLeaf,
  type AuditEvent,
  type AuditEventDocument,
} from '../audit/event.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import type { Persistence } from '../stores.js';
import { leafHash } from './merkle.js';
import { eventPosition, receiptFor, type EventPosition, type LogReceipt } from './receipt.js';
import { checkpointFor, proveConsistency, proveInclusion, type InclusionProof } from './proofs.js';
import { readTreeHead, type TreeHeadKeys, type TreeHeadReport } from './tree-head.js';
import {
  encodeEntryBundle,
  readTile,
  tileAvailable,
  TILE_WIDTH,
  type TileCoordinate,
} from './tiles.js';

/** Public artifacts: their events' leaves are shown to anyone (a relying party checks inclusion). */
const PUBLIC_ACTIONS = /^(passport|certificate|manifest)\./;

/**
 * Whether `principal` (undefined: anonymous) may read an event's contents: public artifacts'
 * events to anyone, every event to admins and TA-wide auditors, a publisher's to its auditors.
 */
export function mayReadLogEvent(principal: Principal | undefined, e: AuditEvent): boolean {
  return (
    PUBLIC_ACTIONS.test(e.action) ||
    principal?.role === 'admin' ||
    (principal?.role === 'auditor' &&
      (principal.publisherId === null || e.data.publisher_id === principal.publisherId))
  );
}

export interface LogEntry {
  seq: number;
  leafHash: Buffer;
  /** The leaf bytes and the event, when the caller may read it. */
  contents?: { leaf: Buffer; event: AuditEventDocument };
}

/** The leaves with seq from `start` to `end` (both included) that the tree holds. */
export async function readLogEntries(
  p: Pick<Persistence, 'stores'>,
  principal: Principal | undefined,
  start: number,
  end: number,
): Promise<LogEntry[]> {
  const log = p.stores.log;
  const size = await log.treeSize();
  const rows = await log.events(start, Math.min(end, size));
  return rows.map((e) => {
    const leaf = eventLeaf(e);
    return {
      seq: e.seq,
      leafHash: leafHash(leaf),
      ...(mayReadLogEvent(principal, e) ? { contents: { leaf, event: eventDocument(e) } } : {}),
    };
  });
}

/** The signed checkpoint of the tree of `size` leaves (the newest when absent). */
export function readLogCheckpoint(
  p: Pick<Persistence, 'stores'>,
  size?: number,
): ReturnType<typeof checkpointFor> {
  return checkpointFor(p.stores.log, size);
}

/** The latest signed tree head and how it checks against `keys` (the admin audit page). */
export function readLogTreeHead(
  p: Pick<Persistence, 'stores'>,
  keys: TreeHeadKeys,
): Promise<TreeHeadReport> {
  return readTreeHead(p.stores.log, keys);
}

/** Inclusion proof of leaf `seq` in the tree of `treeSize` leaves. */
export function readInclusionProof(
  p: Pick<Persistence, 'stores'>,
  seq: number,
  treeSize: number,
): Promise<InclusionProof> {
  return proveInclusion(p.stores.log, seq, treeSize);
}

/** Consistency proof from the tree of `first` leaves to the tree of `second`. */
export function readConsistencyProof(
  p: Pick<Persistence, 'stores'>,
  first: number,
  second: number,
): Promise<Buffer[]> {
  return proveConsistency(p.stores.log, first, second);
}

/** Where the event with insertion id `id` is in the log (404 for an id no committed event has). */
export function readEventPosition(
  p: Pick<Persistence, 'stores'>,
  id: number,
): Promise<EventPosition> {
  return eventPosition(p.stores.log, id);
}

/** The log receipt of the event `action` on `subject` the current request appended, if any. */
export function readReceipt(
  p: Pick<Persistence, 'stores'>,
  action: string,
  subject: string,
): Promise<LogReceipt | undefined> {
  return receiptFor(p.stores.log, action, subject);
}

/** A C2SP tlog-tiles tile (404 while the tree lacks some of its hashes). */
export async function readLogTile(
  p: Pick<Persistence, 'stores'>,
  t: TileCoordinate,
): Promise<Buffer> {
  const tile = await readTile(p.stores.log, t);
  if (!tile)
    throw new NotFoundError(`the log has no tile ${t.level}/${t.index} of width ${t.width}`);
  return tile;
}

/**
 * The entry bundle of level-0 tile `index` (`width` leaves): only for a caller who may read every
 * event in it (403 otherwise), since the leaves are the events themselves.
 */
export async function readLogEntryBundle(
  p: Pick<Persistence, 'stores'>,
  principal: Principal | undefined,
  t: { index: number; width: number },
): Promise<Buffer> {
  const log = p.stores.log;
  if (!tileAvailable(await log.treeSize(), { level: 0, ...t }))
    throw new NotFoundError(`the log has no entry bundle ${t.index} of width ${t.width}`);
  const first = t.index * TILE_WIDTH + 1;
  const events = await log.events(first, first + t.width - 1);
  const hidden = events.find((e) => !mayReadLogEvent(principal, e));
  if (hidden)
    throw new ForbiddenError(
      `entry bundle ${t.index} holds event ${hidden.seq}, which this caller may not read; its leaf hash is in the level-0 tile`,
    );
  const bundle = encodeEntryBundle(events.map((e) => ({ seq: e.seq, leaf: eventLeaf(e) })));
  if (typeof bundle === 'number')
    throw new NotFoundError(
      `entry bundle ${t.index} cannot be encoded: the leaf of event ${bundle} is longer than 65,535 bytes; read it from /v1/log/entries`,
    );
  return bundle;
}
