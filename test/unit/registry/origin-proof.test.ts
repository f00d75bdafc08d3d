// The proof-before-signature rule as a pure decision (src/registry/origin-proof.ts): which origins
// a namespace can prove, for whom, and that only an admin approval of the exact origin proves the rest.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Namespace } from '../../../src/registry/namespace.js';
import {
  candidateNamespaces,
  decideOriginProof,
  nonPublicOriginReason,
  type OriginApproval,
} from '../../../src/registry/origin-proof.js';

const A = 'pub_a';
const B = 'pub_b';
const at = new Date('2026-01-01T00:00:00Z');
function verified(namespace: string, publisherId: string): Namespace {
  return {
    namespace,
    publisherId,
    status: 'verified',
    challengeBaseUrl: 'https://x',
    challengeToken: 't',
    challengeExpiresAt: at,
    verificationMethod: 'http-challenge',
    verifiedAt: at,
    reason: null,
    createdAt: at,
    updatedAt: at,
  };
}
const approval = (origin: string): OriginApproval => ({
  origin,
  reason: 'vetted',
  approvedBy: 'token:tok_admin',
  approvedAt: at,
  auditSeq: 7,
});
const NAMESPACES = [verified('com.alpha', A), verified('com.beta', B)];
const decide = (origin: string, publisherId: string, a: OriginApproval | null = null) =>
  decideOriginProof({ origin, publisherId, approval: a }, NAMESPACES);

describe('origin proof', () => {
  it('an https host within a namespace the same publisher verified is proven (the domain and any subdomain)', () => {
    for (const origin of [
      'https://alpha.com',
      'https://api.alpha.com',
      'https://a.b.alpha.com:8443',
      'https://API.Alpha.com',
    ]) {
      assert.deepEqual(
        decide(origin, A),
        {
          proven: true,
          proof: { kind: 'namespace', namespace: 'com.alpha', method: 'http-challenge' },
        },
        origin,
      );
    }
  });

  it("another publisher's namespace, no namespace, or a look-alike domain proves nothing", () => {
    const alpha = decide('https://api.alpha.com', B);
    assert.equal(alpha.proven, false);
    assert.match(!alpha.proven ? alpha.reason : '', /com\.alpha, which another publisher verified/);
    const google = decide('https://www.google.com', B);
    assert.match(
      !google.proven ? google.reason : '',
      /no namespace this publisher holds verified \(verify com\.google or com\.google\.www/,
    );
    assert.equal(decide('https://alpha.com.evil.net', A).proven, false);
    assert.equal(decide('https://badalpha.com', A).proven, false);
  });

  it('plain http, IP literals, loopback, private and single-label hosts are never proven by a namespace', () => {
    const cases: Array<[string, RegExp]> = [
      ['http://api.alpha.com', /http is not https/],
      ['https://127.0.0.1', /IP literal/],
      ['https://169.254.169.254', /IP literal/],
      ['https://[::1]:8443', /IP literal/],
      ['https://10.0.0.5', /IP literal/],
      ['https://localhost', /loopback/],
      ['https://api.localhost', /loopback/],
      ['https://printer.local', /private/],
      ['https://db.internal', /private/],
      ['https://intranet', /single-label/],
    ];
    for (const [origin, why] of cases) {
      assert.match(nonPublicOriginReason(origin) ?? '', why, origin);
      assert.deepEqual(candidateNamespaces(origin), [], origin);
      const d = decide(origin, A);
      assert.equal(d.proven, false, origin);
      assert.match(
        !d.proven ? d.reason : '',
        /only be proven by an admin approval for this server/,
        origin,
      );
    }
    assert.equal(nonPublicOriginReason('https://api.alpha.com'), undefined);
  });

  it('an admin approval proves exactly the approved origin, for the server that carries it', () => {
    assert.deepEqual(decide('https://127.0.0.1:8443', B, approval('https://127.0.0.1:8443')), {
      proven: true,
      proof: { kind: 'admin-approval', auditSeq: 7 },
    });
    assert.deepEqual(
      decide('http://api.beta.com', B, approval('http://api.beta.com')).proven,
      true,
    );
    // Another port, scheme or host is another origin.
    assert.equal(
      decide('https://127.0.0.1:9443', B, approval('https://127.0.0.1:8443')).proven,
      false,
    );
    assert.equal(decide('https://127.0.0.1', B, approval('http://127.0.0.1')).proven, false);
  });

  it('verified namespaces passed for other origins are ignored', () => {
    assert.equal(
      decideOriginProof(
        { origin: 'https://api.gamma.com', publisherId: A, approval: null },
        NAMESPACES,
      ).proven,
      false,
    );
  });
});
