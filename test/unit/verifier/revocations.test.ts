// Client-side checks of revocation feed pages: signed by a trusted key, the page asked for, seqs
// ascending, chained from since=0 to a final page that is not stale; exit codes all distinct.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { createP256Signer, type P256Signer } from '../../../src/crypto/signer.js';
import { ANCHORS_TYPE, signAnchors } from '../../../src/keys/anchors.js';
import { signFeedPage, type FeedPage } from '../../../src/revocation/feed.js';
import type { Revocation } from '../../../src/revocation/revocation.js';
import {
  checkFeedPage,
  EXIT,
  revocationsFromPages,
  trustedKeys,
} from '../../../src/verifier/index.js';

const NOW = new Date('2026-05-01T00:00:00.000Z');
const newSigner = () =>
  createP256Signer(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
const ta = newSigner();
const revokedKey = newSigner();
const anchors = signAnchors(
  {
    type: ANCHORS_TYPE,
    issuer: 'ta.example',
    version: 4,
    issued_at: NOW.toISOString(),
    expires_at: new Date(NOW.getTime() + 86_400_000).toISOString(),
    keys: [{ ...ta.publicJwk, kid: ta.kid, alg: 'ES256', use: 'sig', status: 'active' }],
    ca_certificates: [],
    revoked_kids: [revokedKey.kid],
  },
  [ta],
);
const keys = trustedKeys(anchors);
const row = (seq: number): Revocation => ({
  seq,
  kind: 'passport',
  subject: `asp_${seq.toString(16).padStart(32, '0')}`,
  reason: 'keyCompromise',
  revokedAt: NOW,
  data: {},
});
const page = (since: number, seqs: number[], hasMore = false, signer: P256Signer = ta, now = NOW) =>
  signFeedPage({ since, entries: seqs.map(row), hasMore, etag: '' } as FeedPage, {
    issuer: 'ta.example',
    signer,
    now,
  });
const check = (doc: unknown, since = 0, now = NOW) =>
  checkFeedPage(doc, { keys, since, now, requireFresh: true });

describe('revocation feed pages, client side', () => {
  it('chains pages from since=0 and gathers every entry', () => {
    const r = revocationsFromPages([page(0, [1, 2], true), page(2, [5])], {
      keys,
      now: NOW,
      requireFresh: true,
    });
    assert.ok(r.ok);
    assert.deepEqual(
      r.set.entries().map((e) => e.seq),
      [1, 2, 5],
    );
    assert.equal(r.set.lastSeq, 5);
    assert.equal(r.set.get('passport', row(2).subject)?.reason, 'keyCompromise');
    assert.equal(r.set.get('manifest', row(2).subject), undefined);
  });

  it('refuses a gap, a page for another since, an unfinished feed, and descending seqs', () => {
    const gap = revocationsFromPages([page(0, [1, 2], true), page(3, [5])], {
      keys,
      now: NOW,
      requireFresh: true,
    });
    assert.equal(!gap.ok && gap.reason, 'wrong-since');
    const unfinished = revocationsFromPages([page(0, [1], true)], {
      keys,
      now: NOW,
      requireFresh: true,
    });
    assert.equal(!unfinished.ok && unfinished.reason, 'malformed');
    assert.equal((check(page(0, [3, 2])) as { reason?: string }).reason, 'out-of-order');
  });

  it('refuses a page signed by an unknown or revoked key, or altered', () => {
    assert.equal(
      (check(page(0, [1], false, newSigner())) as { reason?: string }).reason,
      'unknown-kid',
    );
    const byRevoked = check(page(0, [1], false, revokedKey));
    assert.equal(!byRevoked.ok && byRevoked.reason, 'unknown-kid');
    assert.match(!byRevoked.ok ? byRevoked.message : '', /revoked authority key/);
    const altered = { ...page(0, [1, 2]), revocations: [] };
    assert.equal((check(altered) as { reason?: string }).reason, 'bad-signature');
  });

  it('a final page past next_update is stale; a full page is history and may be old', () => {
    const later = new Date(NOW.getTime() + 61_000);
    assert.equal((check(page(0, [1]), 0, later) as { reason?: string }).reason, 'stale');
    assert.ok(check(page(0, [1], true), 0, later).ok);
    assert.ok(checkFeedPage(page(0, [1]), { keys, since: 0, now: later, requireFresh: false }).ok);
  });

  it('every failure has its own exit code', () => {
    const codes = Object.values(EXIT);
    assert.equal(new Set(codes).size, codes.length);
  });
});
