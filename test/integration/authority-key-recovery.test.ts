// Issue 12, acceptance 5: revoking the passport-signing key can be previewed (dry_run changes
// nothing — checked row by row in the database) and recovered from: after the real revocation
// every published manifest is re-signed by the active key (same payload, same digest, the old
// envelope kept in history, served by every route), `npm run ta -- verify manifest` accepts each,
// and the holders of revoked passports get new ones through the normal proof-of-possession flow.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { verifyEnvelopeSignature } from '../../src/crypto/dsse.js';
import type { AnchorsDocument } from '../../src/keys/anchors.js';
import { challenge, issueAgentPassport, newSubjectKey, popProof } from '../support/passports.js';
import { assertProblem } from '../support/problem.js';
import {
  manifestsPath,
  READ_FILE_TOOL,
  registeredServer,
  verifiedNamespace,
  WEATHER_TOOL,
} from '../support/registry.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';
import { verifyCli, verifyCommand } from '../support/trust-kit.js';
import { waitFor } from '../support/wait.js';

const SERVER = 'com.recover/files';
const ORIGIN = 'https://mcp.recover.com';

/** A fingerprint of every row of every application table (drizzle's own table excluded). */
async function databaseFingerprint(ta: TestService): Promise<Record<string, string>> {
  const tables = await ta.db.sql(
    `select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  const out: Record<string, string> = {};
  for (const { table_name: t } of tables as Array<{ table_name: string }>) {
    const [row] = await ta.db.sql(
      `select count(*)::int as n, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h from "${t}" x`,
    );
    out[t] = `${(row as { n: number }).n}:${(row as { h: string }).h}`;
  }
  return out;
}

describe('authority key revocation you can recover from', () => {
  let ta: TestService;
  let token: string;
  let dir: string;
  let oldKid: string;
  let newKid: string;
  const digests: string[] = [];
  let yanked: string;
  let agentPassportId: string;
  let serverPassportId: string;
  const admin = (method: string, p: string, body?: unknown) =>
    ta.request(method, p, { token: ta.adminToken, body });
  const file = (name: string, value: unknown) => {
    const f = path.join(dir, name);
    writeFileSync(f, JSON.stringify(value));
    return f;
  };
  const issueServerPassport = async () => {
    const key = newSubjectKey();
    const proof = await popProof(key, await challenge(ta, token), { aud: ta.config.taName });
    return ta.request('POST', '/v1/passports', {
      token,
      body: { subject_type: 'server', name: SERVER, public_key: key.jwk, proof },
    });
  };

  before(async () => {
    ta = await startTestService({ listen: true });
    ({ token } = await createPublisherWithToken(ta, 'Recover Inc'));
    dir = mkdtempSync(path.join(os.tmpdir(), 'mcps-ta-recover-'));
    oldKid = ta.keyring.documentSigner.kid;
    await verifiedNamespace(ta, token, 'com.recover');
    await registeredServer(ta, token, SERVER, ORIGIN);
    for (const [version, tools] of [
      ['1.0.0', [READ_FILE_TOOL]],
      ['1.1.0', [READ_FILE_TOOL, WEATHER_TOOL]],
      ['1.2.0', [WEATHER_TOOL]],
    ] as const) {
      const r = await ta.request('POST', manifestsPath(SERVER), {
        token,
        body: { version, tools },
      });
      assert.equal(r.status, 201, r.text);
      digests.push(r.json.digest);
    }
    yanked = digests.pop()!;
    assert.equal(
      (
        await ta.request('POST', `${manifestsPath(SERVER)}/1.2.0/yank`, {
          token,
          body: { reason: 'broken' },
        })
      ).status,
      200,
    );
    const agent = await issueAgentPassport(ta, token, { name: 'recover-bot' });
    assert.equal(agent.res.status, 201, agent.res.text);
    agentPassportId = agent.res.json.passport.passport_id;
    const server = await issueServerPassport();
    assert.equal(server.status, 201, server.text);
    serverPassportId = server.json.passport.passport_id;

    const prepared = await admin('POST', '/v1/authority/keys', { purpose: 'passport-signing' });
    newKid = prepared.json.kid;
    assert.equal((await admin('POST', `/v1/authority/keys/${newKid}/activate`)).status, 200);
  });
  after(async () => {
    await ta.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('dry_run counts by kind what the revocation would take down and re-sign, and changes nothing in the database', async () => {
    // The activation above asked for fresh CRLs in the background: let that finish first.
    await ta.certificates.crl.idle();
    await ta.log.flush(); // events already committed are sequenced (and checkpointed) first
    const before = await databaseFingerprint(ta);
    const auditBefore = (await admin('GET', '/v1/audit?limit=1000')).json.items.length;
    const feedBefore = (await ta.request('GET', '/v1/revocations?since=0')).json;
    assert.deepEqual(
      feedBefore.revocations.map((e: { kind: string }) => e.kind),
      ['manifest'],
      'only the yank so far',
    );

    const r = await admin('POST', `/v1/authority/keys/${oldKid}/revoke?dry_run=1`, {
      reason: 'keyCompromise',
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.dry_run, true);
    assert.equal(r.json.kid, oldKid);
    assert.equal(r.json.status, 'retiring', 'the key as it is now');
    assert.deepEqual(r.json.effects, {
      revoked: { passports: 2, certificates: 0, issuing_cas: 0 },
      re_signed: { manifests: 2 },
    });

    await ta.certificates.crl.idle();
    await ta.log.flush();
    assert.deepEqual(await databaseFingerprint(ta), before, 'no row of any table changed');
    assert.equal(
      (await admin('GET', '/v1/audit?limit=1000')).json.items.length,
      auditBefore,
      'no audit event',
    );
    assert.deepEqual(
      (await ta.request('GET', '/v1/revocations?since=0')).json.revocations,
      feedBefore.revocations,
      'no feed entry',
    );
    assert.equal((await ta.request('GET', `/api/verify/${agentPassportId}`)).json.status, 'VALID');
    assert.equal(
      (await ta.request('GET', `/v1/manifests/${digests[0]}`)).json.envelope.signatures[0].keyid,
      oldKid,
    );
    // `true` works too; a bad value and a missing reason are 400s naming the field, and change nothing either
    assert.equal(
      (
        await admin('POST', `/v1/authority/keys/${oldKid}/revoke?dry_run=true`, {
          reason: 'keyCompromise',
        })
      ).json.dry_run,
      true,
    );
    assertProblem(
      await admin('POST', `/v1/authority/keys/${oldKid}/revoke?dry_run=yes`, {
        reason: 'keyCompromise',
      }),
      400,
      'query.dry_run',
    );
    assertProblem(
      await admin('POST', `/v1/authority/keys/${oldKid}/revoke?dry_run=1`, {}),
      400,
      'body.reason',
    );
    assert.deepEqual(await databaseFingerprint(ta), before);
  });

  it('the real revocation re-signs every unyanked manifest with the active key in its transaction: same digest, old envelope in history, audited', async () => {
    const originals = await Promise.all(
      digests.map(async (d) => (await ta.request('GET', `/v1/manifests/${d}`)).json),
    );
    const r = await admin('POST', `/v1/authority/keys/${oldKid}/revoke`, {
      reason: 'keyCompromise',
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'revoked');
    assert.equal(r.json.dry_run, false);
    assert.deepEqual(r.json.effects, {
      revoked: { passports: 2, certificates: 0, issuing_cas: 0 },
      re_signed: { manifests: 2 },
    });
    const feed = (await ta.request('GET', '/v1/revocations?since=0')).json.revocations as Array<{
      kind: string;
      subject: string;
    }>;
    assert.deepEqual(
      feed.map((e) => e.kind).sort(),
      ['key', 'manifest', 'passport', 'passport'],
      'the feed has what the dry run counted',
    );

    for (const [i, d] of digests.entries()) {
      const now = (await ta.request('GET', `/v1/manifests/${d}`)).json;
      assert.equal(now.digest, d);
      assert.equal(now.envelope.payload, originals[i].envelope.payload, 'same payload');
      assert.deepEqual(
        now.envelope.signatures.map((s: { keyid: string }) => s.keyid),
        [newKid],
      );
      assert.ok(verifyEnvelopeSignature(now.envelope, newKid, ta.keyring.publicKeyFor(newKid)!));
      assert.equal(now.signature_history.length, 1);
      assert.deepEqual(now.signature_history[0].signatures, originals[i].envelope.signatures);
      assert.equal(now.signature_history[0].replaced_by, newKid);
      assert.match(
        now.signature_history[0].reason,
        new RegExp(`${oldKid} revoked \\(keyCompromise\\)`),
      );
    }
    const y = (await ta.request('GET', `/v1/manifests/${yanked}`)).json;
    assert.deepEqual(
      y.envelope.signatures.map((s: { keyid: string }) => s.keyid),
      [oldKid],
      'a yanked version keeps its envelope',
    );
    assert.deepEqual(y.signature_history, []);

    const audit = (await admin('GET', '/v1/audit?limit=1000')).json.items as Array<{
      action: string;
      subject: string;
      data: Record<string, any>;
    }>;
    const resigned = audit.find((e) => e.action === 'manifests.re_signed')!;
    assert.equal(resigned.subject, `authority_key:${oldKid}`);
    assert.deepEqual(resigned.data.digests, [...digests].sort());
    assert.equal(resigned.data.signed_by, newKid);
    assert.equal(
      audit.find((e) => e.action === 'authority_key.revoked')!.data.re_signed_manifests,
      2,
    );
    assert.equal((await admin('GET', '/v1/audit/verify')).json.ok, true);
  });

  it('the current envelope is served by version, latest and /v0.1, and re-posting the same version returns it', async () => {
    const byVersion = (await ta.request('GET', `${manifestsPath(SERVER)}/1.0.0`)).json;
    assert.equal(byVersion.envelope.signatures[0].keyid, newKid);
    assert.equal(
      (await ta.request('GET', `${manifestsPath(SERVER)}/latest`)).json.envelope.signatures[0]
        .keyid,
      newKid,
    );
    const v01 = (
      await ta.request('GET', `/v0.1/servers/${encodeURIComponent(SERVER)}/versions/1.1.0`)
    ).json;
    assert.deepEqual(
      v01._meta['dev.mcps-ta/trust'].signatures.map((s: { keyid: string }) => s.keyid),
      [newKid],
    );
    assert.equal(v01._meta['dev.mcps-ta/trust'].digest, digests[1]);
    const again = await ta.request('POST', manifestsPath(SERVER), {
      token,
      body: { version: '1.0.0', tools: [READ_FILE_TOOL] },
    });
    assert.equal(again.status, 200, again.text);
    assert.equal(again.json.digest, digests[0]);
    assert.deepEqual(again.json.envelope, byVersion.envelope);
  });

  it('`npm run ta -- verify manifest` accepts the re-signed envelope of every published manifest (anchors after the revocation)', async () => {
    const anchors = (await ta.request('GET', '/v1/trust/anchors')).json as AnchorsDocument;
    assert.ok(anchors.revoked_kids.includes(oldKid));
    const anchorsFile = file('anchors-now.json', anchors);
    for (const [i, d] of digests.entries()) {
      const f = file(`manifest-${i}.json`, (await ta.request('GET', `/v1/manifests/${d}`)).json);
      const r =
        i === 0
          ? await verifyCommand(['manifest', f, '--anchors', anchorsFile, '--digest', d])
          : await verifyCli(['manifest', f, '--anchors', anchorsFile, '--digest', d]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        r.stdout,
        new RegExp(
          `^OK manifest ${SERVER}@1\\.${i}\\.0 ${d} \\(\\d tools, signed by ${newKid}, re-signed: tool signatures by a key no longer trusted, covered by the envelope, matches the pinned digest\\)`,
        ),
      );
    }
    // the old envelope, kept in history, is refused: its key is revoked
    const old = (await ta.request('GET', `/v1/manifests/${digests[0]}`)).json;
    const oldEnvelope = { ...old.envelope, signatures: old.signature_history[0].signatures };
    const r = await verifyCli([
      'manifest',
      file('old-envelope.json', oldEnvelope),
      '--anchors',
      anchorsFile,
    ]);
    assert.equal(r.code, 20, r.stdout);
    assert.match(r.stderr, /revoked-authority-key/);
  });

  it('holders of the revoked passports get new ones through the normal proof-of-possession flow, signed by the active key', async () => {
    assert.equal(
      (await ta.request('GET', `/api/verify/${agentPassportId}`)).json.status,
      'REVOKED',
    );
    assert.equal(
      (await ta.request('GET', `/api/verify/${serverPassportId}`)).json.status,
      'REVOKED',
    );
    const agent = await issueAgentPassport(ta, token, { name: 'recover-bot' });
    assert.equal(agent.res.status, 201, agent.res.text);
    assert.equal(agent.res.json.passport.issuer_kid, newKid);
    assert.equal(agent.res.json.passport.agent.name, 'recover-bot');
    assert.equal(
      (await ta.request('GET', `/api/verify/${agent.res.json.passport.passport_id}`)).json.status,
      'VALID',
    );
    const server = await issueServerPassport();
    assert.equal(server.status, 201, server.text);
    assert.equal(server.json.passport.issuer_kid, newKid);
    assert.equal(server.json.passport.agent.name, SERVER);
    const anchorsFile = file(
      'anchors-final.json',
      (await ta.request('GET', '/v1/trust/anchors')).json,
    );
    const v = await verifyCli([
      'passport',
      file('reissued.json', agent.res.json.passport),
      '--anchors',
      anchorsFile,
    ]);
    assert.equal(v.code, 0, v.stderr);
  });

  it('activating a new key re-signs what a revoked key left signed by no valid key', async () => {
    // A version left signed only by the revoked key (as a publish on a stale instance could do):
    const revokedOnly = JSON.stringify(
      (await ta.request('GET', `/v1/manifests/${digests[1]}`)).json.signature_history[0].signatures,
    );
    assert.match(revokedOnly, /^[\[\]{}":,A-Za-z0-9_+/=-]+$/, 'safe to inline');
    await ta.db.sql(
      `update manifests set signatures = '${revokedOnly}'::jsonb where digest = '${digests[1]}'`,
    );
    // The service hears of a change made behind its back from the database's change notice, as
    // it hears of another instance's commits: asynchronously (its cached read may be served until
    // then; CI once read the old one on PostgreSQL).
    const signedBy = async () =>
      (await ta.request('GET', `/v1/manifests/${digests[1]}`)).json.envelope.signatures[0]
        .keyid as string;
    await waitFor(
      'the change notice',
      async () => (await signedBy()) === oldKid || undefined,
      2000,
      20,
    );
    assert.equal(await signedBy(), oldKid);
    const prepared = await admin('POST', '/v1/authority/keys', { purpose: 'passport-signing' });
    assert.equal(
      (await admin('POST', `/v1/authority/keys/${prepared.json.kid}/activate`)).status,
      200,
    );
    const m = (await ta.request('GET', `/v1/manifests/${digests[1]}`)).json;
    assert.deepEqual(
      m.envelope.signatures.map((s: { keyid: string }) => s.keyid),
      [prepared.json.kid],
    );
    assert.equal(m.signature_history.length, 2);
    // the other version is signed by the now-retiring key, still valid: untouched
    assert.equal(
      (await ta.request('GET', `/v1/manifests/${digests[0]}`)).json.envelope.signatures[0].keyid,
      newKid,
    );
    const audit = (await admin('GET', '/v1/audit?limit=1000')).json.items as Array<{
      action: string;
      subject: string;
      data: Record<string, any>;
    }>;
    const activated = audit.filter((e) => e.action === 'authority_key.activated').pop()!;
    assert.equal(activated.data.re_signed_manifests, 1);
    assert.ok(
      audit.some(
        (e) =>
          e.action === 'manifests.re_signed' && e.subject === `authority_key:${prepared.json.kid}`,
      ),
    );
  });
});
