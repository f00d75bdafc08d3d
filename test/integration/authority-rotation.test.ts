// Authority key rotation and versioned trust anchors (issue 7, first part): a client holding
// version 1 walks to the newest; a forged, rolled-back or forked version is refused.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AnchorsDocument } from '../../src/keys/anchors.js';
import { signAnchors } from '../../src/keys/anchors.js';
import {
  checkAnchorsUpdate,
  checkInitialAnchors,
  walkAnchors,
} from '../../src/keys/anchors-verify.js';
import { createP256Signer } from '../../src/crypto/signer.js';
import { generateKeyPairSync } from 'node:crypto';
import { verifyDocument } from '../../src/crypto/signed-document.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { buildService } from '../../src/service.js';
import { assertProblem } from '../support/problem.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';
import { openssl, runPython } from '../support/tools.js';

describe('authority key rotation and trust anchors', () => {
  let ta: TestService;
  const versions: AnchorsDocument[] = [];
  const now = () => new Date();
  const admin = (method: string, path: string, body?: unknown) =>
    ta.request(method, path, { token: ta.adminToken, body });

  before(async () => {
    ta = await startTestService();
  });
  after(async () => ta.stop());

  it('starts with version 1, self-signed by the active passport-signing key', async () => {
    const res = await ta.request('GET', '/v1/trust/anchors');
    assert.equal(res.status, 200);
    const v1 = res.json as AnchorsDocument;
    assert.equal(v1.version, 1);
    assert.deepEqual(
      v1.keys.map((k) => k.kid),
      [ta.keyring.documentSigner.kid],
    );
    assert.deepEqual(
      v1.signatures.map((s) => s.kid),
      [ta.keyring.documentSigner.kid],
    );
    assert.equal(v1.ca_certificates.length, 2);
    assert.deepEqual(checkInitialAnchors(v1, now()), { ok: true });
    versions.push(v1);
  });

  it('a signature of the anchors verifies with Python cryptography over the JCS bytes', async () => {
    const v1 = versions[0]!;
    const { signatures, ...body } = v1;
    const { canonicalJson } = await import('../../src/crypto/jcs.js');
    const key = v1.keys[0]!;
    const out = runPython(
      [
        'import sys, json, base64',
        'from cryptography.hazmat.primitives.asymmetric import ec',
        'from cryptography.hazmat.primitives import hashes',
        'from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature',
        'd = json.load(sys.stdin)',
        'b = lambda s: int.from_bytes(base64.urlsafe_b64decode(s + "=" * (-len(s) % 4)), "big")',
        'pub = ec.EllipticCurvePublicNumbers(b(d["x"]), b(d["y"]), ec.SECP256R1()).public_key()',
        'sig = base64.b64decode(d["sig"])',
        'r, s = int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big")',
        'pub.verify(encode_dss_signature(r, s), d["msg"].encode(), ec.ECDSA(hashes.SHA256()))',
        'print("ok")',
      ].join('\n'),
      JSON.stringify({
        x: key.x,
        y: key.y,
        sig: signatures[0]!.signature,
        msg: canonicalJson(body),
      }),
    );
    assert.equal(out.trim(), 'ok');
  });

  it('prepare → activate publishes version 2 signed by the old and the new key', async () => {
    const oldKid = ta.keyring.documentSigner.kid;
    const prepared = await admin('POST', '/v1/authority/keys', { purpose: 'passport-signing' });
    assert.equal(prepared.status, 201);
    assert.equal(prepared.json.status, 'pending');
    assert.ok(!JSON.stringify(prepared.json).includes('"d"'));
    // pending keys are not published yet
    assert.equal((await ta.request('GET', '/v1/trust/jwks')).json.keys.length, 1);

    const activated = await admin('POST', `/v1/authority/keys/${prepared.json.kid}/activate`);
    assert.equal(activated.status, 200);
    assert.equal(activated.json.status, 'active');
    const v2 = (await ta.request('GET', '/v1/trust/anchors')).json as AnchorsDocument;
    assert.equal(v2.version, 2);
    assert.deepEqual(
      new Set(v2.signatures.map((s) => s.kid)),
      new Set([oldKid, prepared.json.kid]),
    );
    assert.deepEqual(checkAnchorsUpdate(versions[0]!, v2, now()), { ok: true });
    versions.push(v2);

    // JWKS: new active + old retiring; new signatures use the new key
    const jwks = (await ta.request('GET', '/v1/trust/jwks')).json;
    assert.deepEqual(
      new Set(jwks.keys.map((k: { kid: string }) => k.kid)),
      new Set([oldKid, prepared.json.kid]),
    );
    assert.equal((await ta.request('GET', '/api/ta/public-key')).json.kid, prepared.json.kid);
    const cp = await admin('GET', '/v1/audit/checkpoint');
    assert.equal(cp.json.issuer_kid, prepared.json.kid);
    assert.equal(verifyDocument(cp.json, (kid) => ta.keyring.publicKeyFor(kid)).ok, true);
  });

  it('a client holding version 1 walks 1 → 3 after a second rotation', async () => {
    const prepared = await admin('POST', '/v1/authority/keys', { purpose: 'passport-signing' });
    await admin('POST', `/v1/authority/keys/${prepared.json.kid}/activate`);
    const v3 = (await ta.request('GET', '/v1/trust/anchors/3')).json as AnchorsDocument;
    versions.push(v3);
    const walked = walkAnchors(versions[0]!, [versions[1], v3], now());
    assert.equal(walked.ok, true);
    assert.equal(walked.ok && walked.anchors.version, 3);
    assert.equal(
      walked.ok && walked.anchors.keys.find((k) => k.status === 'active')?.kid,
      prepared.json.kid,
    );
    // historic versions are served unchanged
    assert.deepEqual((await ta.request('GET', '/v1/trust/anchors/1')).json, versions[0]);
  });

  it('a forged version 2 signed only by the new key is refused', () => {
    const { signatures: _s, ...body } = versions[1]!;
    const attacker = createP256Signer(
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
    );
    const forgedBody = {
      ...body,
      keys: [
        {
          ...attacker.publicJwk,
          kid: attacker.kid,
          alg: 'ES256' as const,
          use: 'sig' as const,
          status: 'active' as const,
        },
      ],
    };
    const forged = signAnchors(forgedBody, [attacker]);
    const r = checkAnchorsUpdate(versions[0]!, forged, now());
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.reason, 'not-signed-by-previous');
    // and the genuine v2 with one signature stripped: only the new key's signature left
    const stripped = {
      ...versions[1]!,
      signatures: versions[1]!.signatures.filter((s) => s.kid !== versions[0]!.keys[0]!.kid),
    };
    assert.equal(
      (checkAnchorsUpdate(versions[0]!, stripped, now()) as { reason?: string }).reason,
      'not-signed-by-previous',
    );
  });

  it('serving version 2 after 3 is detected as rollback; two different version 2s as a fork', () => {
    const r = checkAnchorsUpdate(versions[2]!, versions[1]!, now());
    assert.equal(!r.ok && r.reason, 'rollback');
    const walked = walkAnchors(
      versions[1]!,
      [{ ...versions[1]!, issued_at: '2020-01-01T00:00:00.000Z' }],
      now(),
    );
    assert.equal(!walked.ok && walked.reason, 'fork');
    const expired = checkAnchorsUpdate(
      versions[1]!,
      versions[2]!,
      new Date(Date.parse(versions[2]!.expires_at) + 1),
    );
    assert.equal(!expired.ok && expired.reason, 'expired');
  });

  it('retire and revoke: the active key cannot be revoked; revoked kids are listed and unpublished', async () => {
    const keys = (await admin('GET', '/v1/authority/keys')).json.items as Array<{
      kid: string;
      purpose: string;
      status: string;
    }>;
    const active = keys.find((k) => k.purpose === 'passport-signing' && k.status === 'active')!;
    const retiring = keys.filter(
      (k) => k.purpose === 'passport-signing' && k.status === 'retiring',
    );
    assert.equal(retiring.length, 2);
    assertProblem(
      await admin('POST', `/v1/authority/keys/${active.kid}/revoke`, { reason: 'keyCompromise' }),
      409,
    );
    assertProblem(await admin('POST', `/v1/authority/keys/${active.kid}/retire`), 409);

    assert.equal(
      (await admin('POST', `/v1/authority/keys/${retiring[0]!.kid}/retire`)).json.status,
      'retired',
    );
    const revoked = await admin('POST', `/v1/authority/keys/${retiring[1]!.kid}/revoke`, {
      reason: 'keyCompromise',
    });
    assert.equal(revoked.json.status, 'revoked');
    const latest = (await ta.request('GET', '/v1/trust/anchors')).json as AnchorsDocument;
    assert.equal(latest.version, 5);
    assert.deepEqual(latest.revoked_kids, [retiring[1]!.kid]);
    assert.deepEqual(
      latest.keys.map((k) => k.kid),
      [active.kid],
    );
    const walked = walkAnchors(
      versions[0]!,
      [versions[1], versions[2], (await ta.request('GET', '/v1/trust/anchors/4')).json, latest],
      now(),
    );
    assert.equal(walked.ok, true);
    assert.equal(ta.keyring.publicKeyFor(retiring[1]!.kid), undefined);
  });

  it('rotates the issuing intermediate: the new one chains to the root, the old stays in ca.pem', async () => {
    const prepared = await admin('POST', '/v1/authority/keys', { purpose: 'issuing-ca' });
    assert.equal(prepared.status, 201);
    await admin('POST', `/v1/authority/keys/${prepared.json.kid}/activate`);
    const pem = (await ta.request('GET', '/v1/trust/ca.pem')).text;
    const certs = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)!;
    assert.equal(certs.length, 3);
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const dir = mkdtempSync('/tmp/ica-');
    writeFileSync(`${dir}/root.pem`, `${certs[0]}\n`);
    writeFileSync(`${dir}/new.pem`, `${certs[1]}\n`);
    const v = openssl(['verify', '-x509_strict', '-CAfile', `${dir}/root.pem`, `${dir}/new.pem`]);
    assert.equal(v.status, 0, v.output);
    assert.equal(ta.keyring.issuing.kid, prepared.json.kid);
  });

  it('another instance on the same database follows the rotation', async () => {
    const other = await buildService(
      loadConfig({
        DATA_DIR: ta.config.dataDir,
        TA_KEK: ta.kek.toString('hex'),
        TA_ADMIN_TOKEN: ta.adminToken,
        TA_NAME: 'test-ta.example',
        LOG_LEVEL: 'silent',
      }),
      { logger: createLogger('silent'), database: await ta.db.openAnother() },
    );
    try {
      const before = other.keyring.anchors.version;
      const prepared = await admin('POST', '/v1/authority/keys', { purpose: 'passport-signing' });
      await admin('POST', `/v1/authority/keys/${prepared.json.kid}/activate`);
      await other.keyring.refreshIfStale();
      assert.equal(other.keyring.anchors.version, before + 1);
      assert.equal(other.keyring.documentSigner.kid, prepared.json.kid);
    } finally {
      await other.close();
    }
  });

  it('only admins manage authority keys; each step is audited', async () => {
    const { token } = await createPublisherWithToken(ta, 'Keyless');
    assertProblem(
      await ta.request('POST', '/v1/authority/keys', {
        token,
        body: { purpose: 'passport-signing' },
      }),
      403,
    );
    assertProblem(await ta.request('GET', '/v1/authority/keys', { token }), 403);
    assertProblem(
      await admin('POST', '/v1/authority/keys', { purpose: 'root-ca' }),
      400,
      'body.purpose',
    );
    const audit = (await admin('GET', '/v1/audit?limit=1000')).json.items.map(
      (e: { action: string }) => e.action,
    );
    for (const a of [
      'authority_key.prepared',
      'authority_key.activated',
      'authority_key.retired',
      'authority_key.revoked',
      'trust_anchors.published',
    ]) {
      assert.ok(audit.includes(a), `audit has ${a}`);
    }
    assert.equal((await admin('GET', '/v1/audit/verify')).json.ok, true);
  });
});
