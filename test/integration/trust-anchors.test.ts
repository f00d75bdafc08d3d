// Acceptance (foundation) 2 and 3: the CA chain passes openssl; every JWKS kid is the RFC 7638
// thumbprint of its key, computed independently (jose, and Python's hashlib).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { calculateJwkThumbprint } from 'jose';
import { startTestService, type TestService } from '../support/service.js';
import { openssl, runPython } from '../support/tools.js';

describe('trust anchors', () => {
  let ta: TestService;
  let dir: string;
  before(async () => {
    ta = await startTestService();
    dir = mkdtempSync(path.join(os.tmpdir(), 'anchors-'));
  });
  after(async () => {
    await ta.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves root and intermediate that `openssl verify` accepts', async () => {
    const res = await ta.request('GET', '/v1/trust/ca.pem');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/pem-certificate-chain');
    const pems =
      res.text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    assert.equal(pems.length, 2);
    writeFileSync(path.join(dir, 'root.pem'), `${pems[0]}\n`);
    writeFileSync(path.join(dir, 'intermediate.pem'), `${pems[1]}\n`);
    const v = openssl([
      'verify',
      '-x509_strict',
      '-CAfile',
      path.join(dir, 'root.pem'),
      path.join(dir, 'intermediate.pem'),
    ]);
    assert.equal(v.status, 0, v.output);
    assert.match(v.output, /intermediate\.pem: OK/);
  });

  it('root: P-256, CA:TRUE pathlen 1, keyCertSign+cRLSign critical, SKI', () => {
    const t = openssl(['x509', '-in', path.join(dir, 'root.pem'), '-noout', '-text']).output;
    assert.match(t, /NIST CURVE: P-256/);
    assert.match(t, /Basic Constraints: critical\s+CA:TRUE, pathlen:1/);
    assert.match(t, /Key Usage: critical\s+Certificate Sign, CRL Sign/);
    assert.match(t, /Subject Key Identifier/);
    assert.match(t, /Signature Algorithm: ecdsa-with-SHA256/);
  });

  it('intermediate: P-256, CA:TRUE pathlen 0, keyCertSign+cRLSign critical, SKI and AKI = root SKI', () => {
    const t = openssl([
      'x509',
      '-in',
      path.join(dir, 'intermediate.pem'),
      '-noout',
      '-text',
    ]).output;
    const r = openssl(['x509', '-in', path.join(dir, 'root.pem'), '-noout', '-text']).output;
    assert.match(t, /NIST CURVE: P-256/);
    assert.match(t, /Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    assert.match(t, /Key Usage: critical\s+Certificate Sign, CRL Sign/);
    const rootSki = /Subject Key Identifier:\s+([0-9A-F:]+)/.exec(r)?.[1];
    const aki = /Authority Key Identifier:\s+(?:keyid:)?([0-9A-F:]+)/.exec(t)?.[1];
    assert.ok(rootSki);
    assert.equal(aki, rootSki);
  });

  it('every JWKS kid is the RFC 7638 thumbprint (jose and Python agree)', async () => {
    const res = await ta.request('GET', '/v1/trust/jwks');
    assert.equal(res.status, 200);
    assert.ok(res.json.keys.length >= 1);
    for (const jwk of res.json.keys) {
      assert.equal(jwk.alg, 'ES256');
      assert.equal(jwk.crv, 'P-256');
      assert.equal(
        await calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, 'sha256'),
        jwk.kid,
      );
      const py = runPython(
        'import sys,json,hashlib,base64\n' +
          'k=json.load(sys.stdin)\n' +
          's=json.dumps({"crv":k["crv"],"kty":k["kty"],"x":k["x"],"y":k["y"]},separators=(",",":"),sort_keys=True)\n' +
          'print(base64.urlsafe_b64encode(hashlib.sha256(s.encode()).digest()).rstrip(b"=").decode())',
        JSON.stringify(jwk),
      );
      assert.equal(py.trim(), jwk.kid);
    }
  });

  it('/api/ta/public-key is the active JWKS key', async () => {
    const [pk, jwks] = await Promise.all([
      ta.request('GET', '/api/ta/public-key'),
      ta.request('GET', '/v1/trust/jwks'),
    ]);
    assert.equal(pk.status, 200);
    assert.ok(jwks.json.keys.some((k: { kid: string }) => k.kid === pk.json.kid));
    assert.equal(pk.json.kid, ta.keyring.documentSigner.kid);
  });

  it('the discovery document names the issuer and the anchor URLs', async () => {
    const res = await ta.request('GET', '/.well-known/mcps-trust-authority');
    assert.equal(res.status, 200);
    assert.equal(res.json.issuer, 'test-ta.example');
    assert.match(res.json.jwks_uri, /\/v1\/trust\/jwks$/);
    assert.match(res.json.ca_uri, /\/v1\/trust\/ca\.pem$/);
    assert.deepEqual(res.json.signing_alg_values_supported, ['ES256']);
  });
});
