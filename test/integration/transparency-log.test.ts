// Issue 14, acceptance 1 and 2: the transparency log checked by code written here from the specs
// only — RFC 9162 §2.1 (MTH, PATH, PROOF by their recursive definitions) and C2SP signed-note /
// tlog-checkpoint (key id, signature over the note text) — never the project's own log code.
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import canonicalizeImport from 'canonicalize';
import { startTestService, type TestService } from '../support/service.js';

const canonicalize = canonicalizeImport as unknown as (value: unknown) => string | undefined;

// ---- an independent RFC 9162 §2.1 implementation over leaf hashes -------------------------
const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
const leafOf = (leaf: Buffer) => sha(Buffer.of(0), leaf);
const k = (n: number) => 2 ** Math.floor(Math.log2(n - 1)); // largest power of 2 < n
function mth(d: Buffer[]): Buffer {
  if (d.length === 0) return sha();
  if (d.length === 1) return d[0]!;
  const s = k(d.length);
  return sha(Buffer.of(1), mth(d.slice(0, s)), mth(d.slice(s)));
}
function path(m: number, d: Buffer[]): Buffer[] {
  if (d.length <= 1) return [];
  const s = k(d.length);
  return m < s
    ? [...path(m, d.slice(0, s)), mth(d.slice(s))]
    : [...path(m - s, d.slice(s)), mth(d.slice(0, s))];
}
function subproof(m: number, d: Buffer[], b: boolean): Buffer[] {
  if (m === d.length) return b ? [] : [mth(d)];
  const s = k(d.length);
  return m <= s
    ? [...subproof(m, d.slice(0, s), b), mth(d.slice(s))]
    : [...subproof(m - s, d.slice(s), false), mth(d.slice(0, s))];
}
const b64 = (x: Buffer[]) => x.map((h) => h.toString('base64'));

// ---- C2SP signed note ------------------------------------------------------------------------
/** Verifies `note` with verifier key `vkey` (`name+hexid+base64(0x01‖key)`); returns the note text. */
function verifyNote(note: string, vkey: string): string {
  // name+hexid+base64: the name has no '+', the base64 key may (split at the first two only).
  const [name, hexId, ...rest] = vkey.split('+') as [string, string, ...string[]];
  const keyB64 = rest.join('+');
  const keyBytes = Buffer.from(keyB64, 'base64');
  assert.equal(keyBytes[0], 0x01, 'Ed25519 key type');
  const pub = keyBytes.subarray(1);
  const id = sha(Buffer.from(`${name}\n`), Buffer.of(0x01), pub).subarray(0, 4);
  assert.equal(
    id.toString('hex'),
    hexId,
    `key id = SHA-256(name ‖ \\n ‖ 0x01 ‖ key)[:4] of ${vkey}`,
  );
  const split = note.lastIndexOf('\n\n');
  const text = note.slice(0, split + 1);
  const sigLines = note
    .slice(split + 2)
    .split('\n')
    .filter((l) => l !== '');
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: pub.toString('base64url') },
    format: 'jwk',
  });
  let ok = false;
  for (const line of sigLines) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    assert.ok(m, `signature line: ${line}`);
    const blob = Buffer.from(m[2]!, 'base64');
    if (m[1] !== name || !blob.subarray(0, 4).equals(id)) continue;
    ok = verify(null, Buffer.from(text, 'utf8'), key, blob.subarray(4));
  }
  assert.ok(ok, 'a valid signature by the log key');
  return text;
}

describe('transparency log, checked independently', () => {
  let ta: TestService;
  const checkpoints: Array<{ tree_size: number; root_hash: string }> = [];
  let leaves: Buffer[] = [];
  before(async () => {
    ta = await startTestService();
    // Events in rounds, a checkpoint after each: 8 checkpoints of different sizes, > 200 leaves.
    for (let round = 0; round < 8; round += 1) {
      for (let i = 0; i < 30; i += 1) {
        const r = await ta.request('POST', '/v1/publishers', {
          token: ta.adminToken,
          body: { name: `Log ${round}-${i}` },
        });
        assert.equal(r.status, 201);
      }
      await ta.log.flush();
      const cp = await ta.request('GET', '/v1/log/checkpoint');
      assert.equal(cp.status, 200);
      checkpoints.push(cp.json);
    }
  });
  after(async () => ta.stop());

  const entriesAll = async (size: number, token?: string) => {
    const out: any[] = [];
    for (let start = 1; start <= size; start += 1000) {
      const r = await ta.request(
        'GET',
        `/v1/log/entries?start=${start}&end=${Math.min(size, start + 999)}`,
        { token },
      );
      assert.equal(r.status, 200);
      out.push(...r.json.entries);
    }
    return out;
  };

  it('recomputes the root of GET /v1/log/entries from scratch, equal to the signed checkpoint', async () => {
    const head = checkpoints.at(-1)!;
    assert.ok(head.tree_size >= 240);
    const entries = await entriesAll(head.tree_size, ta.adminToken);
    assert.deepEqual(
      entries.map((e) => e.seq),
      Array.from({ length: head.tree_size }, (_, i) => i + 1),
    );
    leaves = entries.map((e) => {
      const bytes = Buffer.from(e.leaf_input, 'base64');
      // The leaf is the JCS of the standard event document.
      assert.equal(bytes.toString('utf8'), canonicalize(e.event));
      assert.deepEqual(Object.keys(e.event).sort(), [
        'action',
        'actor',
        'data',
        'occurred_at',
        'outcome',
        'request_id',
        'seq',
        'source_address',
        'subject',
      ]);
      assert.equal(leafOf(bytes).toString('base64'), e.leaf_hash);
      return leafOf(bytes);
    });
    for (const cp of checkpoints)
      assert.equal(
        mth(leaves.slice(0, cp.tree_size)).toString('base64'),
        cp.root_hash,
        `root at ${cp.tree_size}`,
      );
  });

  it('shows anyone the leaf hashes, but the leaf of a publisher event only to those who may read it', async () => {
    const anonymous = await entriesAll(20);
    const mine = await entriesAll(20, ta.adminToken);
    assert.deepEqual(
      anonymous.map((e) => e.leaf_hash),
      mine.map((e) => e.leaf_hash),
    );
    for (const e of anonymous)
      if (
        !/^(passport|certificate|manifest)\./.test(mine.find((m) => m.seq === e.seq).event.action)
      )
        assert.equal(e.leaf_input, undefined);
  });

  it('serves an inclusion proof for 200 random leaves that matches RFC 9162 PATH and the checkpoint roots', async () => {
    for (let i = 0; i < 200; i += 1) {
      const cp = checkpoints[Math.floor(Math.random() * checkpoints.length)]!;
      const seq = 1 + Math.floor(Math.random() * cp.tree_size);
      const r = await ta.request(
        'GET',
        `/v1/log/proof/inclusion?seq=${seq}&tree_size=${cp.tree_size}`,
      );
      assert.equal(r.status, 200);
      assert.equal(r.json.leaf_index, seq - 1);
      assert.equal(r.json.tree_size, cp.tree_size);
      assert.deepEqual(
        r.json.audit_path,
        b64(path(seq - 1, leaves.slice(0, cp.tree_size))),
        `PATH(${seq - 1}, ${cp.tree_size})`,
      );
    }
  });

  it('serves consistency proofs between 20 pairs of checkpoints that match RFC 9162 PROOF', async () => {
    const pairs: Array<[number, number]> = [];
    for (let a = 0; a < checkpoints.length; a += 1)
      for (let b = a + 1; b < checkpoints.length; b += 1) pairs.push([a, b]);
    assert.ok(pairs.length >= 20);
    for (const [a, b] of pairs.slice(0, 20)) {
      const [m, n] = [checkpoints[a]!.tree_size, checkpoints[b]!.tree_size];
      const r = await ta.request('GET', `/v1/log/proof/consistency?first=${m}&second=${n}`);
      assert.equal(r.status, 200);
      assert.deepEqual(
        r.json.consistency_path,
        b64(subproof(m, leaves.slice(0, n), true)),
        `PROOF(${m}, ${n})`,
      );
    }
  });

  it('signs the checkpoint as a C2SP signed note with the Ed25519 log key listed in the trust anchors', async () => {
    const anchors = (await ta.request('GET', '/v1/trust/anchors')).json;
    const logKey = anchors.log_keys.find((x: { status: string }) => x.status === 'active');
    assert.ok(logKey, 'trust anchors list the log key');
    const r = await ta.request('GET', '/v1/log/checkpoint', { headers: { accept: 'text/plain' } });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/plain/);
    const text = verifyNote(r.text, logKey.note_key);
    const json = (await ta.request('GET', '/v1/log/checkpoint')).json;
    assert.equal(text, `${json.origin}\n${json.tree_size}\n${json.root_hash}\n`);
    // The JSON form: ES256 (P1363) over JCS of the document without `signature`, by a JWKS key.
    const { signature, ...body } = json;
    const jwk = (await ta.request('GET', '/v1/trust/jwks')).json.keys.find(
      (x: { kid: string }) => x.kid === json.issuer_kid,
    );
    const ok = verify(
      'sha256',
      Buffer.from(canonicalize(body)!),
      { key: createPublicKey({ key: jwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' },
      Buffer.from(signature, 'base64'),
    );
    assert.ok(ok);
    // A historic checkpoint is served as signed, and a tampered note fails.
    const old = await ta.request(
      'GET',
      `/v1/log/checkpoint?tree_size=${checkpoints[0]!.tree_size}`,
    );
    assert.deepEqual(old.json, checkpoints[0]);
    assert.throws(() =>
      verifyNote(r.text.replace(/\n\d+\n/, `\n${json.tree_size + 1}\n`), logKey.note_key),
    );
  });

  it('refuses bad proof requests with a problem naming the field', async () => {
    const size = checkpoints.at(-1)!.tree_size;
    const big = size + 1_000_000;
    for (const [q, field] of [
      [`/v1/log/proof/inclusion?seq=0&tree_size=${size}`, 'query.seq'],
      [`/v1/log/proof/inclusion?seq=${size}&tree_size=${big}`, 'query.tree_size'],
      [`/v1/log/proof/consistency?first=5&second=${big}`, 'query.second'],
      ['/v1/log/entries?start=1&end=1001', 'query.end'],
    ] as const) {
      const r = await ta.request('GET', q);
      assert.equal(r.status, 400, q);
      assert.ok(JSON.stringify(r.json).includes(field), `${q} names ${field}`);
    }
    assert.equal((await ta.request('GET', '/v1/log/checkpoint?tree_size=3')).status, 404);
  });

  it('names the first bad seq when a row is changed, deleted or two are swapped', async () => {
    const verifyLog = async () =>
      (await ta.request('GET', '/v1/audit/verify', { token: ta.adminToken })).json;
    assert.equal((await verifyLog()).ok, true);
    // changed
    await ta.db.sql(`update audit_events set data = data || '{"x":1}'::jsonb where seq = 57`);
    assert.deepEqual(
      [(await verifyLog()).first_broken_seq, (await verifyLog()).reason],
      [57, 'hash-mismatch'],
    );
    await ta.db.sql(`update audit_events set data = data - 'x' where seq = 57`);
    assert.equal((await verifyLog()).ok, true);
    // deleted
    const [row] = await ta.db.sql(`delete from audit_events where seq = 101 returning *`);
    assert.deepEqual(
      [(await verifyLog()).first_broken_seq, (await verifyLog()).reason],
      [101, 'sequence-gap'],
    );
    await ta.db.sql(
      `insert into audit_events (id, seq, occurred_at, actor, actor_publisher_id, action, subject, outcome, request_id, source_address, data, prev_hash, hash)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        row!.id,
        row!.seq,
        row!.occurred_at,
        row!.actor,
        row!.actor_publisher_id,
        row!.action,
        row!.subject,
        row!.outcome,
        row!.request_id,
        row!.source_address,
        row!.data,
        row!.prev_hash,
        row!.hash,
      ],
    );
    assert.equal((await verifyLog()).ok, true);
    // swapped
    const swap = async () => {
      await ta.db.sql(`update audit_events set seq = -1 where seq = 130`);
      await ta.db.sql(`update audit_events set seq = 130 where seq = 140`);
      await ta.db.sql(`update audit_events set seq = 140 where seq = -1`);
    };
    await swap();
    assert.deepEqual(
      [(await verifyLog()).first_broken_seq, (await verifyLog()).reason],
      [130, 'hash-mismatch'],
    );
    await swap();
    assert.equal((await verifyLog()).ok, true);
  });
});
