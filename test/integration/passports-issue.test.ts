// Acceptance (passports) 1 and 2: issued passports verify with an independent implementation
// (Python `cryptography`: JCS bytes, 64-byte r‖s, low-S — over 500 issuances); a wrong proof, a
// reused or expired nonce, a non-P-256 key or an off-curve point is a 4xx problem document and
// leaves nothing in the database.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fixedClock } from '../../src/clock.js';
import { verifyPassport } from '../../src/passports/verify.js';
import {
  issueAgentPassport,
  newSubjectKey,
  passportRowCounts,
  popProof,
  challenge,
  signJws,
} from '../support/passports.js';
import { assertProblem } from '../support/problem.js';
import { verifiedNamespace } from '../support/registry.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';
import { runPython } from '../support/tools.js';

const PY_VERIFY = `
import sys, json, base64
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
data = json.load(sys.stdin)
keys = {}
for k in data["jwks"]:
    pad = lambda s: s + "=" * (-len(s) % 4)
    x = int.from_bytes(base64.urlsafe_b64decode(pad(k["x"])), "big")
    y = int.from_bytes(base64.urlsafe_b64decode(pad(k["y"])), "big")
    keys[k["kid"]] = ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key()
ok = 0
for p in data["passports"]:
    body = {k: v for k, v in p.items() if k != "signature"}
    # RFC 8785 for these documents (strings, integers, nested objects): sorted keys, no spaces
    msg = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    sig = base64.b64decode(p["signature"], validate=True)
    assert len(sig) == 64, "signature is not 64 bytes"
    r, s = int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big")
    assert 1 <= s <= N // 2, "high-S signature in " + p["passport_id"]
    keys[p["issuer_kid"]].verify(encode_dss_signature(r, s), msg, ec.ECDSA(hashes.SHA256()))
    ok += 1
print(ok)
`;

describe('passport issuance', () => {
  let ta: TestService;
  let token: string;
  before(async () => {
    ta = await startTestService();
    token = (await createPublisherWithToken(ta, 'Issuer Co')).token;
    // The agent origin below is signed only because this publisher holds com.example.
    await verifiedNamespace(ta, token, 'com.example');
  });
  after(async () => ta.stop());

  it('issues an L2 agent passport in the MCPS format, signed by the active JWKS key', async () => {
    const { res, key } = await issueAgentPassport(ta, token, {
      name: 'helpdesk',
      capabilities: ['tools:read', 'tools:write'],
      origin: 'https://agent.example.com',
    });
    assert.equal(res.status, 201, res.text);
    const p = res.json.passport;
    assert.match(p.passport_id, /^asp_[0-9a-f]{32}$/);
    assert.equal(p.mcps_version, '1.0');
    assert.deepEqual(p.agent, {
      name: 'helpdesk',
      version: '0.0.0',
      capabilities: ['tools:read', 'tools:write'],
    });
    assert.deepEqual(p.public_key, key.jwk);
    assert.equal(p.origin, 'https://agent.example.com');
    assert.equal(p.scan, null);
    assert.equal(p.trust_level, 2);
    assert.equal(p.issuer, 'test-ta.example');
    assert.deepEqual(p.issuer_chain, []);
    assert.equal(p.subject_type, 'agent');
    assert.equal(p.issuer_kid, ta.keyring.documentSigner.kid);
    assert.match(p.issued_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.equal(
      new Date(p.expires_at).getTime() - new Date(p.issued_at).getTime(),
      90 * 86_400_000,
    );
    assert.equal(res.json.status, 'active');
    assert.equal(res.json.identity, p.passport_id);
    const v = verifyPassport(p, {
      issuer: 'test-ta.example',
      taKeyFor: (kid) => ta.keyring.publicKeyFor(kid),
      now: new Date(),
    });
    assert.equal(v.ok, true, JSON.stringify(v));
    const got = await ta.request('GET', `/v1/passports/${p.passport_id}`);
    assert.deepEqual(got.json.passport, p);
    assert.deepEqual((await ta.request('GET', `/api/passport/${p.passport_id}`)).json, p);
  });

  it('an agent origin the publisher holds no namespace for is refused (400 naming body.origin); none is null', async () => {
    const before = await passportRowCounts(ta);
    for (const origin of [
      'https://agent.example.org',
      'https://127.0.0.1',
      'http://agent.example.com',
    ]) {
      const { res } = await issueAgentPassport(ta, token, { name: 'helpdesk-2', origin });
      assertProblem(res, 400, 'body.origin');
    }
    assert.deepEqual(await passportRowCounts(ta), before);
    const { res } = await issueAgentPassport(ta, token, { name: 'helpdesk-2' });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.passport.origin, null);
  });

  it('writes the passport, its agent and its audit events in one go', async () => {
    const { res } = await issueAgentPassport(ta, token, { name: 'audited-agent' });
    const events = (await ta.request('GET', '/v1/audit?limit=1000', { token: ta.adminToken })).json
      .items;
    const issued = events.find(
      (e: { subject: string }) => e.subject === `passport:${res.json.passport_id}`,
    );
    assert.equal(issued.action, 'passport.issued');
    assert.equal(issued.data.kid, res.json.kid);
    assert.ok(
      events.some(
        (e: { action: string; data: { name?: string } }) =>
          e.action === 'agent.created' && e.data.name === 'audited-agent',
      ),
    );
    // the second passport of the same agent name reuses the agent
    const before = await passportRowCounts(ta);
    await issueAgentPassport(ta, token, { name: 'audited-agent' });
    const afterCounts = await passportRowCounts(ta);
    assert.equal(afterCounts.agents, before.agents);
    assert.equal(afterCounts.passports, before.passports + 1);
  });

  it('500 issued passports all verify with Python cryptography, every signature 64 bytes and low-S', async () => {
    const passports: unknown[] = [];
    for (let i = 0; i < 500; i += 1) {
      const { res } = await issueAgentPassport(ta, token, {
        name: `bulk-${i % 7}`,
        capabilities: [`cap-${i}`],
      });
      assert.equal(res.status, 201, res.text);
      passports.push(res.json.passport);
    }
    const jwks = (await ta.request('GET', '/v1/trust/jwks')).json.keys;
    const out = runPython(PY_VERIFY, JSON.stringify({ jwks, passports }));
    assert.equal(out.trim(), '500');
  });

  it('refuses a server passport for a name the registry does not know (no servers until it is wired)', async () => {
    const key = newSubjectKey();
    const nonce = await challenge(ta, token);
    const res = await ta.request('POST', '/v1/passports', {
      token,
      body: {
        subject_type: 'server',
        name: 'com.example/weather',
        public_key: key.jwk,
        proof: await popProof(key, nonce, { aud: 'test-ta.example' }),
      },
    });
    assertProblem(res, 400, 'body.name');
    assert.match(res.json.detail, /unknown server/);
  });

  it('accepts a proof of possession whose JOSE signature is high-S (standard JOSE clients do not normalise)', async () => {
    const N = BigInt('0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551');
    const key = newSubjectKey();
    const nonce = await challenge(ta, token);
    const [h, p, sig] = (await popProof(key, nonce, { aud: 'test-ta.example' })).split('.') as [
      string,
      string,
      string,
    ];
    const raw = Buffer.from(sig, 'base64url');
    const s = BigInt(`0x${raw.subarray(32).toString('hex')}`);
    const twin = Buffer.concat([
      raw.subarray(0, 32),
      Buffer.from((N - s).toString(16).padStart(64, '0'), 'hex'),
    ]);
    const highS = s > N / 2n ? raw : twin;
    const res = await ta.request('POST', '/v1/passports', {
      token,
      body: {
        subject_type: 'agent',
        name: 'high-s-client',
        public_key: key.jwk,
        proof: `${h}.${p}.${highS.toString('base64url')}`,
      },
    });
    assert.equal(res.status, 201, res.text);
  });

  it('refuses the reserved issuing capability on ordinary passports', async () => {
    const { res } = await issueAgentPassport(ta, token, { capabilities: ['mcps:issue'] });
    assertProblem(res, 400, 'body.capabilities');
  });

  it('an auditor token cannot ask for challenges or issue', async () => {
    const auditor = await createPublisherWithToken(ta, 'Auditors Inc', 'auditor');
    assertProblem(
      await ta.request('POST', '/v1/passports/challenge', { token: auditor.token }),
      403,
    );
    assertProblem(await ta.request('POST', '/v1/passports/challenge'), 401);
  });
});

describe('refused issuances leave nothing behind', () => {
  const clock = fixedClock(new Date('2026-03-01T12:00:00.000Z'));
  const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);
  let ta: TestService;
  let token: string;
  before(async () => {
    ta = await startTestService({ clock });
    token = (await createPublisherWithToken(ta, 'Careful Co')).token;
  });
  after(async () => ta.stop());

  async function assertRefusedAndNothingStored(
    send: () => Promise<{ status: number }>,
    field: string,
  ) {
    const before = await passportRowCounts(ta);
    const res = await send();
    assertProblem(res as never, 400, field);
    assert.deepEqual(await passportRowCounts(ta), before);
  }

  const post = (body: Record<string, unknown>) =>
    ta.request('POST', '/v1/passports', {
      token,
      body: { subject_type: 'agent', name: 'careful', ...body },
    });

  it('a proof signed by another key', async () => {
    const key = newSubjectKey();
    const other = newSubjectKey();
    const nonce = await challenge(ta, token);
    await assertRefusedAndNothingStored(
      async () =>
        post({
          public_key: key.jwk,
          proof: await popProof(other, nonce, { aud: 'test-ta.example', iat: nowSeconds() }),
        }),
      'body.proof',
    );
  });

  it('a proof for another audience, of another type, or too old', async () => {
    const key = newSubjectKey();
    const nonce = await challenge(ta, token);
    await assertRefusedAndNothingStored(
      async () =>
        post({
          public_key: key.jwk,
          proof: await popProof(key, nonce, { aud: 'other-ta', iat: nowSeconds() }),
        }),
      'body.proof',
    );
    await assertRefusedAndNothingStored(
      async () =>
        post({
          public_key: key.jwk,
          proof: await signJws(key.privateKey, 'JWT', {
            nonce,
            aud: 'test-ta.example',
            iat: nowSeconds(),
          }),
        }),
      'body.proof',
    );
    await assertRefusedAndNothingStored(
      async () =>
        post({
          public_key: key.jwk,
          proof: await popProof(key, nonce, { aud: 'test-ta.example', iat: nowSeconds() - 600 }),
        }),
      'body.proof',
    );
  });

  it('a reused nonce', async () => {
    const nonce = await challenge(ta, token);
    const first = newSubjectKey();
    const ok = await post({
      public_key: first.jwk,
      proof: await popProof(first, nonce, { aud: 'test-ta.example', iat: nowSeconds() }),
    });
    assert.equal(ok.status, 201, ok.text);
    const second = newSubjectKey();
    await assertRefusedAndNothingStored(
      async () =>
        post({
          public_key: second.jwk,
          proof: await popProof(second, nonce, { aud: 'test-ta.example', iat: nowSeconds() }),
        }),
      'body.proof',
    );
  });

  it('a nonce of another publisher', async () => {
    const other = await createPublisherWithToken(ta, 'Nonce Thief');
    const nonce = await challenge(ta, other.token);
    const key = newSubjectKey();
    await assertRefusedAndNothingStored(
      async () =>
        post({
          public_key: key.jwk,
          proof: await popProof(key, nonce, { aud: 'test-ta.example', iat: nowSeconds() }),
        }),
      'body.proof',
    );
  });

  it('an expired nonce (older than 5 minutes), even with a fresh proof', async () => {
    const nonce = await challenge(ta, token);
    clock.advance(5 * 60_000 + 1);
    const key = newSubjectKey();
    await assertRefusedAndNothingStored(
      async () =>
        post({
          public_key: key.jwk,
          proof: await popProof(key, nonce, { aud: 'test-ta.example', iat: nowSeconds() }),
        }),
      'body.proof',
    );
  });

  it('a P-384 key, an Ed25519 key, an RSA key', async () => {
    const nonce = await challenge(ta, token);
    const p384 = newSubjectKey('P-384');
    await assertRefusedAndNothingStored(
      async () =>
        post({
          public_key: p384.jwk,
          proof: await popProof(newSubjectKey(), nonce, {
            aud: 'test-ta.example',
            iat: nowSeconds(),
          }),
        }),
      'body.public_key',
    );
    const proof = await popProof(newSubjectKey(), nonce, {
      aud: 'test-ta.example',
      iat: nowSeconds(),
    });
    await assertRefusedAndNothingStored(
      async () =>
        post({
          public_key: {
            kty: 'OKP',
            crv: 'Ed25519',
            x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
          },
          proof,
        }),
      'body.public_key',
    );
    await assertRefusedAndNothingStored(
      async () => post({ public_key: { kty: 'RSA', n: 'sXch', e: 'AQAB' }, proof }),
      'body.public_key',
    );
  });

  it('a point that is not on the curve, and malformed coordinates', async () => {
    const nonce = await challenge(ta, token);
    const key = newSubjectKey();
    const proof = await popProof(key, nonce, { aud: 'test-ta.example', iat: nowSeconds() });
    await assertRefusedAndNothingStored(
      async () => post({ public_key: { ...key.jwk, y: key.jwk.x }, proof }),
      'body.public_key',
    );
    await assertRefusedAndNothingStored(
      async () => post({ public_key: { ...key.jwk, x: 'AAAA' }, proof }),
      'body.public_key',
    );
    await assertRefusedAndNothingStored(
      async () => post({ public_key: { ...key.jwk, x: `${key.jwk.x}==` }, proof }),
      'body.public_key',
    );
    // and the nonce is still usable: nothing was consumed
    const ok = await post({ public_key: key.jwk, proof });
    assert.equal(ok.status, 201, ok.text);
  });

  it('a private key in public_key is refused and never stored', async () => {
    const key = newSubjectKey();
    const jwkWithD = key.privateKey.export({ format: 'jwk' }) as Record<string, string>;
    const nonce = await challenge(ta, token);
    await assertRefusedAndNothingStored(
      async () =>
        post({
          public_key: jwkWithD,
          proof: await popProof(key, nonce, { aud: 'test-ta.example', iat: nowSeconds() }),
        }),
      'body.public_key',
    );
    const rows = await ta.db.sql('select document::text as d from passports');
    assert.ok(rows.every((r) => !String(r.d).includes(jwkWithD.d!)));
    assert.ok(!ta.logs().includes(jwkWithD.d!));
  });
});
