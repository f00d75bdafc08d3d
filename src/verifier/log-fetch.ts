// Online half of a log check: from a write response's log receipt (`log: {event_id, seq}`) to a
// log bundle — resolve the seq (GET /v1/log/events/{id}), read the latest checkpoint as JSON and
// as a signed note, the inclusion proof at its size, and the leaf. Nothing fetched is trusted
// here: checkLogBundle verifies it all.
import { EXIT, reject, type Verdict } from './exit-codes.js';
import { LOG_BUNDLE_VERSION, type LogBundle } from './log-bundle.js';
import type { LogCheckpoint } from './log.js';

/** The `log` member of a create response, as found in a saved response file. */
export interface LogReceiptRef {
  event_id: number;
  seq: number | null;
}

/** The log receipt of a saved API response, if it has a well-formed one. */
export function receiptIn(input: unknown): LogReceiptRef | undefined {
  const log = (input as { log?: { event_id?: unknown; seq?: unknown } } | null)?.log;
  if (typeof log !== 'object' || log === null || !Number.isSafeInteger(log.event_id))
    return undefined;
  return {
    event_id: log.event_id as number,
    seq: Number.isSafeInteger(log.seq) ? (log.seq as number) : null,
  };
}

export interface FetchLogOptions {
  /** The TA's base URL, without a trailing slash. */
  base: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

async function get(
  o: FetchLogOptions,
  path: string,
  accept = 'application/json',
): Promise<Verdict<Response>> {
  const url = `${o.base}${path}`;
  try {
    const res = await (o.fetch ?? fetch)(url, {
      headers: { accept },
      signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
    });
    if (!res.ok) return reject(EXIT.taUnreachable, 'ta-error', `GET ${url} → ${res.status}`);
    return { ok: true, value: res };
  } catch (err) {
    return reject(EXIT.taUnreachable, 'ta-unreachable', `GET ${url}: ${(err as Error).message}`);
  }
}

async function json<T>(o: FetchLogOptions, path: string): Promise<Verdict<T>> {
  const r = await get(o, path);
  if (!r.ok) return r;
  try {
    return { ok: true, value: (await r.value.json()) as T };
  } catch {
    return reject(EXIT.taUnreachable, 'ta-error', `GET ${o.base}${path}: not JSON`);
  }
}

/** Assembles the bundle for `receipt` from the TA; a log that has not caught up yet is EXIT.logMissing. */
export async function fetchLogBundle(
  o: FetchLogOptions,
  receipt: LogReceiptRef,
): Promise<Verdict<LogBundle>> {
  let seq = receipt.seq;
  if (seq === null) {
    const pos = await json<{ seq?: unknown }>(o, `/v1/log/events/${receipt.event_id}`);
    if (!pos.ok)
      return pos.code === EXIT.taUnreachable && /→ 404$/.test(pos.message)
        ? reject(EXIT.logMissing, 'no-such-event', `the TA has no log event ${receipt.event_id}`)
        : pos;
    if (!Number.isSafeInteger(pos.value.seq))
      return reject(
        EXIT.logMissing,
        'not-sequenced',
        `log event ${receipt.event_id} is not sequenced yet; retry in a second`,
      );
    seq = pos.value.seq as number;
  }
  const cp = await json<LogCheckpoint>(o, '/v1/log/checkpoint');
  if (!cp.ok) return cp;
  const size = cp.value.tree_size;
  if (!Number.isSafeInteger(size) || size < seq) {
    return reject(
      EXIT.logMissing,
      'not-checkpointed',
      `log seq ${seq} is not in a signed checkpoint yet (latest size ${String(size)}); retry in a second`,
    );
  }
  // The note of that very size (the latest may have moved on since).
  const noteRes = await get(o, `/v1/log/checkpoint?tree_size=${size}`, 'text/plain');
  if (!noteRes.ok) return noteRes;
  const note = (noteRes.value.headers.get('content-type') ?? '').startsWith('text/plain')
    ? await noteRes.value.text()
    : null;
  const proof = await json<LogBundle['inclusion']>(
    o,
    `/v1/log/proof/inclusion?seq=${seq}&tree_size=${size}`,
  );
  if (!proof.ok) return proof;
  const entries = await json<{ entries?: Array<{ seq?: unknown; leaf_input?: unknown }> }>(
    o,
    `/v1/log/entries?start=${seq}&end=${seq}`,
  );
  if (!entries.ok) return entries;
  const entry = entries.value.entries?.find((e) => e.seq === seq);
  if (typeof entry?.leaf_input !== 'string')
    return reject(
      EXIT.logMissing,
      'leaf-unavailable',
      `the TA does not show the leaf of log seq ${seq}`,
    );
  return {
    ok: true,
    value: {
      mcps_log_bundle: LOG_BUNDLE_VERSION,
      seq,
      leaf_input: entry.leaf_input,
      inclusion: proof.value,
      checkpoint: cp.value,
      checkpoint_note: note,
    },
  };
}
