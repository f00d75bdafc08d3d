// The verifier CLI's transparency-log checks: an artifact's creation event proven in the log
// (from a saved bundle, or online from the create response's receipt), and `verify log`: the
// TA's newest checkpoint extends one the client kept.
import { writeFileSync } from 'node:fs';
import { readJson, Usage, type Values } from './cli-input.js';
import type { CliIo } from './cli-io.js';
import { loadTrust, type Trust } from './cli-trust.js';
import { EXIT, ok, reject, type Verdict } from './exit-codes.js';
import { checkCheckpoint, checkConsistency } from './log.js';
import { checkLogBundle, type ExpectedEvent, type VerifiedLogInclusion } from './log-bundle.js';
import { fetchLogBundle, receiptIn } from './log-fetch.js';

/** GET a JSON document from the TA; a failure is exit 3. */
async function getJson(io: CliIo, url: string): Promise<Verdict<unknown>> {
  try {
    const res = await (io.fetch ?? fetch)(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) return reject(EXIT.taUnreachable, 'ta-error', `GET ${url} → ${res.status}`);
    return { ok: true, value: await res.json() };
  } catch (err) {
    return reject(EXIT.taUnreachable, 'ta-unreachable', `GET ${url}: ${(err as Error).message}`);
  }
}

/**
 * The artifact's event in the log: from --bundle FILE, or online from the create response's log
 * receipt (--save-bundle keeps what was checked). No proof at all is EXIT.logMissing.
 */
export async function checkLog(
  v: Values,
  io: CliIo,
  trust: Trust,
  input: unknown,
  expect: ExpectedEvent,
): Promise<Verdict<VerifiedLogInclusion>> {
  let bundle: unknown;
  if (v.bundle !== undefined) bundle = readJson(v.bundle as string, 'log bundle');
  else if (v.ta) {
    const receipt = receiptIn(input);
    if (!receipt) {
      return reject(
        EXIT.logMissing,
        'no-log-receipt',
        'the file has no log receipt (the `log` member of the create response): verify the response as saved, or pass --bundle FILE',
      );
    }
    const fetched = await fetchLogBundle(
      { base: (v.ta as string).replace(/\/+$/, ''), fetch: io.fetch },
      receipt,
    );
    if (!fetched.ok) return fetched;
    bundle = fetched.value;
  } else
    return reject(
      EXIT.logMissing,
      'no-log-bundle',
      'offline, the log check needs --bundle FILE (written online with --save-bundle)',
    );
  const r = checkLogBundle(bundle, { keys: trust.keys, anchors: trust.anchors, expect });
  if (r.ok && v['save-bundle'] !== undefined)
    writeFileSync(v['save-bundle'] as string, `${JSON.stringify(bundle, null, 2)}\n`);
  return r;
}

/** `verify log --from FILE --ta URL`: the newest checkpoint extends the one kept. */
export async function verifyLog(v: Values, io: CliIo, now: Date): Promise<Verdict<string>> {
  if (!v.from)
    throw new Usage(
      'verify log needs --from FILE (a checkpoint you kept from GET /v1/log/checkpoint)',
    );
  if (!v.ta) throw new Usage('verify log is online: pass --ta URL');
  const kept = readJson(v.from as string, 'checkpoint');
  const trust = await loadTrust(v, io, now);
  if (!trust.ok) return trust;
  const { keys, note } = trust.value;
  const older = checkCheckpoint(kept, keys, `checkpoint ${v.from as string}`);
  if (!older.ok) return older;
  const base = (v.ta as string).replace(/\/+$/, '');
  const head = await getJson(io, `${base}/v1/log/checkpoint`);
  if (!head.ok) return head;
  const newer = checkCheckpoint(head.value, keys, "the TA's newest checkpoint");
  if (!newer.ok) return newer;
  let path: unknown = [];
  if (newer.value.tree_size >= older.value.tree_size && older.value.tree_size > 0) {
    const proof = await getJson(
      io,
      `${base}/v1/log/proof/consistency?first=${older.value.tree_size}&second=${newer.value.tree_size}`,
    );
    if (!proof.ok) return proof;
    path = (proof.value as { consistency_path?: unknown }).consistency_path;
  }
  const c = checkConsistency(older.value, newer.value, path);
  if (!c.ok) return c;
  if (v.out) writeFileSync(v.out as string, `${JSON.stringify(newer.value, null, 2)}\n`);
  return ok(
    `log ${newer.value.origin} at size ${newer.value.tree_size} extends the checkpoint kept at size ${older.value.tree_size}${v.out ? `; newest written to ${v.out as string}` : ''} — ${note}`,
  );
}
