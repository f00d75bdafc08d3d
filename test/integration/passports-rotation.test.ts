// Acceptance (passports) 3: a rotation statement signed by any key but the old one is a 403;
// after a good rotation /chain returns both links and they verify offline with only the first
// public key and the JWKS. Also: what may not rotate, and L4 approval as a re-issue.
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { fixedClock } from '../../src/clock.js';
import { verifyKeyContinuityChain, type ChainLinkDocument } from '../../src/passports/index.js';
import {
  challenge,
  issueAgentPassport,
  newSubjectKey,
  passportRowCounts,
  popProof,
  rotate,
  rotationStatement,
  type SubjectKeyPair,
} from '../support/passports.js';
import { assertProblem } from '../support/problem.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';

/** What an offline client holds: the JWKS as fetched, nothing else from the TA. */
async function jwksKeyFor(ta: TestService) {
  const keys = (await ta.request('GET', '/v1/trust/jwks')).json.keys as Array<
    Record<string, string>
  >;
  const byKid = new Map(
    keys.map((k) => [
      k.kid!,
      createPublicKey({ key: { kty: k.kty, crv: k.crv, x: k.x, y: k.y } as never, format: 'jwk' }),
    ]),
  );
  return (kid: string) => byKid.get(kid);
}

describe('passport rotation and key-continuity chains', () => {
  const clock = fixedClock(new Date());
  const iat = () => Math.floor(clock.now().getTime() / 1000);
  let ta: TestService;
  let token: string;
  before(async () => {
    ta = await startTestService({ clock });
    token = (await createPublisherWithToken(ta, 'Rotating Co')).token;
  });
  after(async () => ta.stop());

  async function issue(name = 'rotating-agent'): Promise<{ id: string; key: SubjectKeyPair }> {
    const { res, key } = await issueAgentPassport(ta, token, { name, iat: iat() });
    assert.equal(res.status, 201, res.text);
    return { id: res.json.passport_id, key };
  }

  it('a rotation statement signed by any key other than the old one is a 403, and changes nothing', async () => {
    const { id, key } = await issue();
    const before = await passportRowCounts(ta);
    const newKey = newSubjectKey();
    // signed by the new key itself, and by an unrelated key
    for (const signer of [newKey, newSubjectKey()]) {
      const { res } = await rotate(ta, token, id, key, {
        statementSigner: signer,
        newKey,
        iat: iat(),
      });
      assertProblem(res, 403);
    }
    assert.deepEqual(await passportRowCounts(ta), before);
    assert.equal((await ta.request('GET', `/v1/passports/${id}`)).json.status, 'active');
  });

  it('rotates: the new passport names the old key, the old one is superseded, /chain verifies offline', async () => {
    const { id, key } = await issue('chained-agent');
    const { res, key: newKey } = await rotate(ta, token, id, key, { iat: iat() });
    assert.equal(res.status, 201, res.text);
    const p = res.json.passport;
    assert.deepEqual(p.public_key, newKey.jwk);
    assert.equal(p.key_rotation.previous_key_hash, key.kid);
    assert.equal(p.key_rotation.rotated_at, p.issued_at);
    assert.equal(res.json.identity, id);
    const old = await ta.request('GET', `/v1/passports/${id}`);
    assert.equal(old.json.status, 'superseded');
    assert.equal(old.json.superseded_by, p.passport_id);

    for (const asked of [id, p.passport_id]) {
      const chain = await ta.request('GET', `/v1/passports/${asked}/chain`);
      assert.equal(chain.status, 200);
      assert.equal(chain.json.links.length, 2);
      assert.deepEqual(
        chain.json.links.map((l: ChainLinkDocument) => l.event),
        ['issued', 'rotated'],
      );
      assert.equal(chain.json.current_passport_id, p.passport_id);
    }
    const links = (await ta.request('GET', `/v1/passports/${p.passport_id}/chain`)).json
      .links as ChainLinkDocument[];
    const result = await verifyKeyContinuityChain(links, {
      firstKey: key.jwk,
      taKeyFor: await jwksKeyFor(ta),
      issuer: 'test-ta.example',
    });
    assert.deepEqual(result, {
      ok: true,
      currentKey: newKey.jwk,
      currentKid: newKey.kid,
      currentPassportId: p.passport_id,
      links: 2,
    });

    const events = (await ta.request('GET', '/v1/audit?limit=1000', { token: ta.adminToken })).json
      .items;
    const rotated = events.find(
      (e: { action: string; subject: string }) =>
        e.action === 'passport.rotated' && e.subject === `passport:${p.passport_id}`,
    );
    assert.equal(rotated.data.previous_passport_id, id);
  });

  it('an offline client rejects a tampered chain or a different first key', async () => {
    const { id, key } = await issue('tamper-agent');
    const { res } = await rotate(ta, token, id, key, { iat: iat() });
    const links = (await ta.request('GET', `/v1/passports/${res.json.passport_id}/chain`)).json
      .links as ChainLinkDocument[];
    const keyFor = await jwksKeyFor(ta);
    const wrongStart = await verifyKeyContinuityChain(links, {
      firstKey: newSubjectKey().jwk,
      taKeyFor: keyFor,
      issuer: 'test-ta.example',
    });
    assert.equal(wrongStart.ok, false);
    const attacker = newSubjectKey();
    const swapped = [links[0]!, { ...links[1]!, public_key: attacker.jwk, kid: attacker.kid }];
    const tampered = await verifyKeyContinuityChain(swapped, {
      firstKey: key.jwk,
      taKeyFor: keyFor,
      issuer: 'test-ta.example',
    });
    assert.equal(tampered.ok, false);
    assert.match((tampered as { reason: string }).reason, /countersignature/);
  });

  it('rotates twice; the chain grows to three links, each proven by the key before it', async () => {
    const { id, key } = await issue('twice-agent');
    const first = await rotate(ta, token, id, key, { iat: iat() });
    const second = await rotate(ta, token, first.res.json.passport_id, first.key, { iat: iat() });
    assert.equal(second.res.status, 201, second.res.text);
    const links = (await ta.request('GET', `/v1/passports/${id}/chain`)).json
      .links as ChainLinkDocument[];
    assert.equal(links.length, 3);
    const r = await verifyKeyContinuityChain(links, {
      firstKey: key.jwk,
      taKeyFor: await jwksKeyFor(ta),
      issuer: 'test-ta.example',
    });
    assert.equal(r.ok && r.currentKid, second.key.kid);
  });

  it('a superseded, revoked or expired passport cannot rotate (409)', async () => {
    const a = await issue('superseded-agent');
    await rotate(ta, token, a.id, a.key, { iat: iat() });
    assertProblem((await rotate(ta, token, a.id, a.key, { iat: iat() })).res, 409);

    const b = await issue('revoked-agent');
    assert.equal(
      (
        await ta.request('POST', `/v1/passports/${b.id}/revoke`, {
          token,
          body: { reason: 'keyCompromise' },
        })
      ).status,
      200,
    );
    assertProblem((await rotate(ta, token, b.id, b.key, { iat: iat() })).res, 409);

    const { res, key } = await issueAgentPassport(ta, token, {
      name: 'short-lived',
      ttlDays: 1,
      iat: iat(),
    });
    clock.advance(86_400_000 + 1000);
    assertProblem((await rotate(ta, token, res.json.passport_id, key, { iat: iat() })).res, 409);
  });

  it("another publisher cannot rotate or revoke someone else's passport (403)", async () => {
    const { id, key } = await issue('owned-agent');
    const other = await createPublisherWithToken(ta, 'Other Co');
    assertProblem((await rotate(ta, other.token, id, key, { iat: iat() })).res, 403);
    assertProblem(
      await ta.request('POST', `/v1/passports/${id}/revoke`, {
        token: other.token,
        body: { reason: 'unspecified' },
      }),
      403,
    );
  });

  it('refuses a proof over another nonce than the statement, and rotating to the same key', async () => {
    const { id, key } = await issue('careful-rotator');
    const newKey = newSubjectKey();
    const [n1, n2] = [await challenge(ta, token), await challenge(ta, token)];
    const rotation = await rotationStatement(key, {
      passportId: id,
      newKid: newKey.kid,
      nonce: n1,
      iat: iat(),
    });
    const proof = await popProof(newKey, n2, { aud: 'test-ta.example', iat: iat() });
    assertProblem(
      await ta.request('POST', `/v1/passports/${id}/rotate`, {
        token,
        body: { public_key: newKey.jwk, proof, rotation },
      }),
      400,
      'body.proof',
    );
    assertProblem(
      (await rotate(ta, token, id, key, { newKey: key, iat: iat() })).res,
      400,
      'body.public_key',
    );
  });

  it('an admin approval re-issues at trust level 4, audited; the chain records it; rotation keeps L4', async () => {
    const { id, key } = await issue('approved-agent');
    assertProblem(
      await ta.request('POST', `/v1/passports/${id}/approve`, { token, body: {} }),
      403,
    );
    const res = await ta.request('POST', `/v1/passports/${id}/approve`, {
      token: ta.adminToken,
      body: { note: 'reviewed the agent code' },
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.trust_level, 4);
    assert.equal(res.json.passport.trust_level, 4);
    assert.deepEqual(res.json.passport.public_key, key.jwk);
    assert.equal((await ta.request('GET', `/v1/passports/${id}`)).json.status, 'superseded');
    const events = (await ta.request('GET', '/v1/audit?limit=1000', { token: ta.adminToken })).json
      .items;
    const approval = events.find(
      (e: { action: string; subject: string }) =>
        e.action === 'passport.approved' && e.subject === `passport:${id}`,
    );
    assert.equal(approval.data.approved_passport_id, res.json.passport_id);
    assert.equal(approval.data.note, 'reviewed the agent code');
    assertProblem(
      await ta.request('POST', `/v1/passports/${res.json.passport_id}/approve`, {
        token: ta.adminToken,
        body: {},
      }),
      409,
    );

    const rotated = await rotate(ta, token, res.json.passport_id, key, { iat: iat() });
    assert.equal(rotated.res.status, 201, rotated.res.text);
    assert.equal(rotated.res.json.trust_level, 4);
    const links = (await ta.request('GET', `/v1/passports/${id}/chain`)).json
      .links as ChainLinkDocument[];
    assert.deepEqual(
      links.map((l) => l.event),
      ['issued', 'reissued', 'rotated'],
    );
    const r = await verifyKeyContinuityChain(links, {
      firstKey: key.jwk,
      taKeyFor: await jwksKeyFor(ta),
      issuer: 'test-ta.example',
    });
    assert.equal(r.ok && r.currentPassportId, rotated.res.json.passport_id);
  });
});
