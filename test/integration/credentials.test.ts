// Per-call credentials (POST /v1/credentials) through the real app: an agent proves possession of
// its active passport key over a single-use nonce and receives an ES256 JWT signed by a key of
// the TA's JWKS (and trust anchors), bound to the passport key. Refusals name the field; the
// rate limit answers 429 with Retry-After; issuance is counted in /metrics and audited as one
// event per passport per minute with the count.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { CREDENTIAL_REQUEST_TYP } from '../../src/credentials/call-credential.js';
import { CREDENTIALS_PER_MINUTE } from '../../src/http/credential-deps.js';
import {
  challenge,
  issueAgentPassport,
  newSubjectKey,
  popProof,
  signJws,
  type SubjectKeyPair,
} from '../support/passports.js';
import { assertProblem } from '../support/problem.js';
import { registeredServer, verifiedNamespace } from '../support/registry.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';

const SERVER = 'com.example/weather';

describe('per-call credentials', () => {
  let ta: TestService;
  let token: string;
  let agent: { id: string; key: SubjectKeyPair };

  before(async () => {
    ta = await startTestService();
    ({ token } = await createPublisherWithToken(ta, 'Weather Inc'));
    await verifiedNamespace(ta, token, 'com.example');
    await registeredServer(ta, token, SERVER);
    agent = await newAgent('weather-bot');
  });
  after(async () => ta.stop());

  async function newAgent(name: string) {
    const a = await issueAgentPassport(ta, token, { name });
    assert.equal(a.res.status, 201, a.res.text);
    return { id: a.res.json.passport.passport_id as string, key: a.key };
  }
  async function nonceFor(id: string): Promise<string> {
    const res = await ta.request('POST', '/v1/credentials/challenge', {
      body: { passport_id: id },
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.aud, ta.config.taName);
    return res.json.nonce;
  }
  type RequestOptions = {
    tool?: string | string[];
    server?: string;
    ttl?: number;
    signer?: SubjectKeyPair;
    nonce?: string;
    proofClaims?: Record<string, unknown>;
    typ?: string;
  };
  /** A credential request body and its proof, not sent. */
  async function signedRequest(who: { id: string; key: SubjectKeyPair }, o: RequestOptions = {}) {
    const body = {
      passport_id: who.id,
      server: o.server ?? SERVER,
      tool: o.tool ?? 'get_forecast',
      ...(o.ttl !== undefined ? { ttl_seconds: o.ttl } : {}),
    };
    const nonce = o.nonce ?? (await nonceFor(who.id));
    const proof = await signJws((o.signer ?? who.key).privateKey, o.typ ?? CREDENTIAL_REQUEST_TYP, {
      nonce,
      aud: ta.config.taName,
      iat: Math.floor(Date.now() / 1000),
      passport_id: body.passport_id,
      server: body.server,
      tool: body.tool,
      ...o.proofClaims,
    });
    return { body, proof, nonce };
  }
  async function request(who: { id: string; key: SubjectKeyPair }, o: RequestOptions = {}) {
    const r = await signedRequest(who, o);
    return {
      ...r,
      res: await ta.request('POST', '/v1/credentials', { body: { ...r.body, proof: r.proof } }),
    };
  }

  it('issues an ES256 mcps-call+jwt by a JWKS key: sub, aud, tool, cnf.jkt = the passport key thumbprint, 60 s, jti', async () => {
    const { res } = await request(agent);
    assert.equal(res.status, 201, res.text);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const header = decodeProtectedHeader(res.json.credential);
    assert.equal(header.alg, 'ES256');
    assert.equal(header.typ, 'mcps-call+jwt');
    const jwks = (await ta.request('GET', '/v1/trust/jwks')).json;
    const anchors = (await ta.request('GET', '/v1/trust/anchors')).json;
    assert.ok(
      jwks.keys.some((k: { kid: string }) => k.kid === header.kid),
      'the signing key is in /v1/trust/jwks',
    );
    assert.ok(
      anchors.keys.some(
        (k: { kid: string; status: string }) => k.kid === header.kid && k.status === 'active',
      ),
      'and in the trust anchors guards verify with',
    );
    const { payload } = await jwtVerify(res.json.credential, createLocalJWKSet(jwks), {
      issuer: ta.config.taName,
      audience: SERVER,
      typ: 'mcps-call+jwt',
    });
    assert.equal(payload.sub, agent.id);
    assert.equal(payload.tool, 'get_forecast');
    assert.deepEqual(payload.cnf, { jkt: agent.key.kid });
    assert.equal(payload.exp! - payload.iat!, 60);
    assert.match(String(payload.jti), /^cc_[0-9a-f]{32}$/);
    assert.equal(res.json.jti, payload.jti);
    assert.equal(res.json.expires_at, new Date(payload.exp! * 1000).toISOString());
  });

  it('a list of tools and a 300 s lifetime are allowed; 301 s is refused naming body.ttl_seconds', async () => {
    const { res } = await request(agent, { tool: ['get_forecast', 'read_file'], ttl: 300 });
    assert.equal(res.status, 201, res.text);
    const { payload } = await jwtVerify(
      res.json.credential,
      createLocalJWKSet((await ta.request('GET', '/v1/trust/jwks')).json),
    );
    assert.deepEqual(payload.tool, ['get_forecast', 'read_file']);
    assert.equal(payload.exp! - payload.iat!, 300);
    assertProblem((await request(agent, { ttl: 301 })).res, 400, 'body.ttl_seconds');
  });

  it('a nonce works once', async () => {
    const first = await request(agent);
    assert.equal(first.res.status, 201, first.res.text);
    const again = await ta.request('POST', '/v1/credentials', {
      body: { ...first.body, proof: first.proof },
    });
    assertProblem(again, 400, 'body.proof');
  });

  it('a proof sent 10 times at once gets exactly one credential (the nonce is consumed in a transaction)', async () => {
    const { body, proof } = await signedRequest(agent);
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        ta.request('POST', '/v1/credentials', { body: { ...body, proof } }),
      ),
    );
    assert.deepEqual(results.map((r) => r.status).sort(), [201, ...Array(9).fill(400)]);
  });

  it('refuses a proof by another key, of another typ, for another request, or a nonce issued for a passport of another publisher', async () => {
    assertProblem((await request(agent, { signer: newSubjectKey() })).res, 400, 'body.proof');
    assertProblem((await request(agent, { typ: 'mcps-pop+jwt' })).res, 400, 'body.proof');
    assertProblem(
      (await request(agent, { proofClaims: { tool: 'read_file' } })).res,
      400,
      'body.proof',
    );
    assertProblem(
      (await request(agent, { proofClaims: { aud: 'another-ta' } })).res,
      400,
      'body.proof',
    );
    const other = await createPublisherWithToken(ta, 'Other Inc');
    const b = await issueAgentPassport(ta, other.token, { name: 'other-bot' });
    const foreignNonce = await nonceFor(b.res.json.passport.passport_id);
    assertProblem((await request(agent, { nonce: foreignNonce })).res, 400, 'body.proof');
  });

  it('refuses an unknown server, bad tool names, a server passport, and unknown or revoked passports', async () => {
    assertProblem(
      (await request(agent, { server: 'com.example/nothing' })).res,
      400,
      'body.server',
    );
    assertProblem((await request(agent, { tool: 'rm -rf' })).res, 400, 'body.tool');
    assertProblem((await request(agent, { tool: [] })).res, 400, 'body.tool');
    const key = newSubjectKey();
    const proof = await popProof(key, await challenge(ta, token), { aud: ta.config.taName });
    const sp = await ta.request('POST', '/v1/passports', {
      token,
      body: { subject_type: 'server', name: SERVER, public_key: key.jwk, proof },
    });
    assert.equal(sp.status, 201, sp.text);
    assertProblem(
      await ta.request('POST', '/v1/credentials/challenge', {
        body: { passport_id: sp.json.passport.passport_id },
      }),
      400,
      'body.passport_id',
    );
    assertProblem(
      await ta.request('POST', '/v1/credentials/challenge', {
        body: { passport_id: `asp_${'0'.repeat(32)}` },
      }),
      404,
    );
    assertProblem(
      await ta.request('POST', '/v1/credentials/challenge', {
        body: { passport_id: 'asp_nothex' },
      }),
      400,
      'body.passport_id',
    );

    const doomed = await newAgent('doomed-bot');
    const nonce = await nonceFor(doomed.id);
    assert.equal(
      (
        await ta.request('POST', `/v1/passports/${doomed.id}/revoke`, {
          token,
          body: { reason: 'keyCompromise' },
        })
      ).status,
      200,
    );
    assertProblem((await request(doomed, { nonce })).res, 409);
    assertProblem(
      await ta.request('POST', '/v1/credentials/challenge', { body: { passport_id: doomed.id } }),
      409,
    );
  });

  it(`is rate-limited per passport (${CREDENTIALS_PER_MINUTE} a minute): 429 with Retry-After; other passports are unaffected`, async () => {
    const busy = await newAgent('busy-bot');
    // Start at the beginning of a minute window, so the whole burst lands in one.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 50_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 50));
    let last;
    for (let i = 0; i <= CREDENTIALS_PER_MINUTE; i += 1)
      last = await ta.request('POST', '/v1/credentials/challenge', {
        body: { passport_id: busy.id },
      });
    assertProblem(last!, 429);
    const retry = Number(last!.headers.get('retry-after'));
    assert.ok(retry >= 1 && retry <= 60, `retry-after ${retry}`);
    assert.equal((await request(agent)).res.status, 201);
  });

  it('counts outcomes in /metrics and audits one credentials.issued event per passport and minute with the count', async () => {
    const counter = async (outcome: string) => {
      const text = (await ta.request('GET', '/metrics')).text;
      const m = new RegExp(`^mcps_ta_credentials_total\\{outcome="${outcome}"\\} (\\d+)`, 'm').exec(
        text,
      );
      assert.ok(m, `mcps_ta_credentials_total{outcome="${outcome}"} in /metrics`);
      return Number(m[1]);
    };
    const counted = await newAgent('counted-bot');
    await ta.deps.credentialIssuance!.audit.flush({ all: true });
    const issuedBefore = await counter('issued');
    const refusedBefore = await counter('refused');
    const auditBefore = Number(
      (await ta.db.sql('select count(*)::int as n from audit_events'))[0]!.n,
    );
    for (let i = 0; i < 3; i += 1) assert.equal((await request(counted)).res.status, 201);
    assert.equal((await request(counted, { signer: newSubjectKey() })).res.status, 400);
    assert.equal(await counter('issued'), issuedBefore + 3);
    assert.equal(await counter('refused'), refusedBefore + 1);
    assert.equal(
      Number((await ta.db.sql('select count(*)::int as n from audit_events'))[0]!.n),
      auditBefore,
      'not one audit row per credential',
    );

    await ta.deps.credentialIssuance!.audit.flush({ all: true });
    const rows = await ta.db.sql(
      `select actor, subject, data from audit_events where action = 'credentials.issued' and subject = $1`,
      [`passport:${counted.id}`],
    );
    const total = rows.reduce(
      (sum, r) => sum + Number((typeof r.data === 'string' ? JSON.parse(r.data) : r.data).count),
      0,
    );
    assert.equal(total, 3);
    assert.ok(rows.length <= 2, 'one event per minute window (two if the burst crossed a minute)');
    const data =
      typeof rows[0]!.data === 'string' ? JSON.parse(rows[0]!.data as string) : rows[0]!.data;
    assert.deepEqual(data.servers, [SERVER]);
    assert.equal(rows[0]!.actor, `passport:${counted.id}`);
    assert.equal(
      (await ta.request('GET', '/v1/audit/verify', { token: ta.adminToken })).json.ok,
      true,
      'the aggregated events are links of the hash chain',
    );
  });
});
