// Issue 11, acceptance 3: what /v0.1 serves for a published version (its server.json) is fixed at
// publication and signed inside the version's manifest. After a server PATCH every published
// version's documents (list, versions, version, latest) are byte-identical to before, and the
// digest recomputed from the served document equals the signed one; a server edit shows only in
// versions published after it. Versions published before server.json was signed (legacy rows)
// serve the snapshot migration 0004 took, unchanged by later edits, and say they are unsigned.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fixedClock } from '../../src/clock.js';
import { verifyEnvelopeSignature, type DsseEnvelope } from '../../src/crypto/dsse.js';
import { canonicalJson } from '../../src/crypto/jcs.js';
import { publicKeyFromJwk } from '../../src/crypto/ecdsa.js';
import { MIGRATIONS_FOLDER } from '../../src/db/migrate.js';
import {
  buildSignedManifest,
  contentDigestOf,
  MANIFEST_FORMAT_VERSION,
  type ManifestContent,
} from '../../src/manifests/manifest.js';
import {
  checkManifest,
  checkRegistryEntry,
  EXIT,
  trustedKeys,
  type TrustedKeys,
} from '../../src/verifier/index.js';
import { assertProblem } from '../support/problem.js';
import {
  manifestsPath,
  READ_FILE_TOOL,
  verifiedNamespace,
  WEATHER_TOOL,
} from '../support/registry.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';
import { tempFile } from '../support/csr.js';
import { verifyCli } from '../support/trust-kit.js';

const T0 = new Date('2026-05-01T00:00:00.000Z');
const T1 = new Date('2026-05-02T00:00:00.000Z');
const T2 = new Date('2026-05-03T00:00:00.000Z');
const SERVER = 'com.frozen/weather';
const LEGACY = 'com.frozen/legacy';
const enc = encodeURIComponent;
const REPO_1 = { url: 'https://github.com/frozen/weather', source: 'github' };
const REPO_2 = {
  url: 'https://gitlab.com/frozen/weather-next',
  source: 'gitlab',
  subfolder: 'srv',
};
const TRUST = 'dev.mcps-ta/trust';

const sha256Jcs = (v: unknown) =>
  `sha256:${createHash('sha256').update(canonicalJson(v)).digest('hex')}`;

describe('published versions are immutable on /v0.1', () => {
  const clock = fixedClock(T0);
  let ta: TestService;
  let token: string;
  let keys: TrustedKeys;

  /** Every /v0.1 document naming a version of SERVER, by path → exact response text. */
  async function documents(versions: string[]): Promise<Map<string, string>> {
    const paths = [
      '/v0.1/servers',
      '/v0.1/servers?version=latest',
      '/v0.1/servers?include_deleted=true',
      `/v0.1/servers?search=${enc('frozen/weather')}`,
      `/v0.1/servers/${enc(SERVER)}/versions`,
      `/v0.1/servers/${enc(SERVER)}/versions/latest`,
      ...versions.map((v) => `/v0.1/servers/${enc(SERVER)}/versions/${v}`),
    ];
    const out = new Map<string, string>();
    for (const p of paths) {
      const r = await ta.request('GET', p);
      assert.equal(r.status, 200, `${p}: ${r.text}`);
      out.set(p, r.text);
    }
    return out;
  }

  /** Verifies one served entry against its signed manifest: DSSE, digest and server.json digest. */
  async function assertSignedEntry(entry: any): Promise<void> {
    const trust = entry._meta[TRUST];
    const manifestPath = new URL(trust.manifest_url).pathname;
    const m = (await ta.request('GET', manifestPath)).json;
    // the library verifier: DSSE signature by an anchored key, tool pins, the entry ↔ manifest link
    const verified = checkManifest(m.envelope, { keys });
    assert.ok(verified.ok, JSON.stringify(verified));
    const entryCheck = checkRegistryEntry(entry, verified.value);
    assert.ok(entryCheck.ok, JSON.stringify(entryCheck));
    // and by hand, from nothing but the served bytes and the JWKS
    const envelope = m.envelope as DsseEnvelope;
    const payload = Buffer.from(envelope.payload, 'base64');
    assert.equal(
      `sha256:${createHash('sha256').update(payload).digest('hex')}`,
      trust.digest,
      'digest = sha256 of the signed payload',
    );
    assert.equal(
      trust.digest,
      sha256Jcs(JSON.parse(payload.toString('utf8'))),
      'digest = sha256 of JCS(manifest) (DESIGN §6)',
    );
    const jwks = (await ta.request('GET', '/v1/trust/jwks')).json.keys as Array<{ kid: string }>;
    const sig = envelope.signatures[0]!;
    assert.deepEqual(trust.signatures, envelope.signatures);
    const jwk = jwks.find((k) => k.kid === sig.keyid);
    assert.ok(jwk, 'signed by a JWKS key');
    assert.ok(verifyEnvelopeSignature(envelope, sig.keyid, publicKeyFromJwk(jwk as never)));
    const signed = JSON.parse(payload.toString('utf8')).server_json;
    assert.equal(
      canonicalJson(entry.server),
      canonicalJson(signed),
      'served server.json = signed server_json',
    );
    assert.equal(sha256Jcs(entry.server), trust.server_json_digest);
    assert.equal(trust.server_json_signed, true);
  }

  before(async () => {
    ta = await startTestService({ clock });
    ({ token } = await createPublisherWithToken(ta, 'Frozen Co'));
    await verifiedNamespace(ta, token, 'com.frozen');
    keys = trustedKeys((await ta.request('GET', '/v1/trust/anchors')).json);
    const r = await ta.request('POST', '/v1/servers', {
      token,
      body: {
        name: SERVER,
        origin: 'https://weather.frozen.com',
        description: 'Forecasts, first text',
        repository: REPO_1,
      },
    });
    assert.equal(r.status, 201, r.text);
    for (const version of ['1.0.0', '1.1.0']) {
      const p = await ta.request('POST', manifestsPath(SERVER), {
        token,
        body: { version, tools: [WEATHER_TOOL] },
      });
      assert.equal(p.status, 201, p.text);
    }
  });
  after(async () => ta.stop());

  it('signs the served server.json inside the manifest, and serves it with its digest', async () => {
    const m = await ta.request('GET', `${manifestsPath(SERVER)}/1.0.0`);
    assert.deepEqual(m.json.manifest.server_json, {
      $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
      name: SERVER,
      description: 'Forecasts, first text',
      version: '1.0.0',
      repository: REPO_1,
    });
    const v = await ta.request('GET', `/v0.1/servers/${enc(SERVER)}/versions/1.0.0`);
    assert.deepEqual(v.json.server, m.json.manifest.server_json);
    await assertSignedEntry(v.json);
  });

  it('an identical re-publish is still idempotent (200, same digest)', async () => {
    const before = await ta.request('GET', `${manifestsPath(SERVER)}/1.0.0`);
    const again = await ta.request('POST', manifestsPath(SERVER), {
      token,
      body: { version: '1.0.0', tools: [WEATHER_TOOL] },
    });
    assert.equal(again.status, 200, again.text);
    assert.equal(again.json.digest, before.json.digest);
  });

  it('after a server PATCH every published version’s document is byte-identical, and still verifies', async () => {
    const beforePatch = await documents(['1.0.0', '1.1.0']);
    clock.set(T1);
    const patch = await ta.request('PATCH', `/v1/servers/${SERVER}`, {
      token,
      body: {
        description: 'Forecasts, rewritten text',
        repository: REPO_2,
        origin: 'https://weather2.frozen.com',
      },
    });
    assert.equal(patch.status, 200, patch.text);
    assert.equal(patch.json.description, 'Forecasts, rewritten text');
    const afterPatch = await documents(['1.0.0', '1.1.0']);
    for (const [p, text] of beforePatch)
      assert.equal(afterPatch.get(p), text, `${p} changed after the PATCH`);

    const list = JSON.parse(afterPatch.get('/v0.1/servers')!).servers.filter(
      (e: any) => e.server.name === SERVER,
    );
    assert.deepEqual(list.map((e: any) => e.server.version).sort(), ['1.0.0', '1.1.0']);
    for (const e of list) {
      assert.equal(e.server.description, 'Forecasts, first text');
      assert.deepEqual(e.server.repository, REPO_1);
      assert.equal(e._meta[TRUST].origin, 'https://weather.frozen.com');
      assert.equal(
        e._meta['io.modelcontextprotocol.registry/official'].updatedAt,
        e._meta['io.modelcontextprotocol.registry/official'].publishedAt,
      );
      await assertSignedEntry(e);
    }
    // a mirror syncing with updated_since learns nothing changed: the PATCH changed no version
    const since = await ta.request(
      'GET',
      `/v0.1/servers?updated_since=${enc(new Date(T1.getTime() - 1).toISOString())}`,
    );
    assert.equal(since.json.servers.length, 0);
  });

  it('the edit shows in versions published after it, not before', async () => {
    clock.set(T2);
    const p = await ta.request('POST', manifestsPath(SERVER), {
      token,
      body: { version: '1.2.0', tools: [WEATHER_TOOL, READ_FILE_TOOL] },
    });
    assert.equal(p.status, 201, p.text);
    const latest = await ta.request('GET', `/v0.1/servers/${enc(SERVER)}/versions/latest`);
    assert.equal(latest.json.server.version, '1.2.0');
    assert.equal(latest.json.server.description, 'Forecasts, rewritten text');
    assert.deepEqual(latest.json.server.repository, REPO_2);
    assert.equal(latest.json._meta[TRUST].origin, 'https://weather2.frozen.com');
    await assertSignedEntry(latest.json);
    const old = await ta.request('GET', `/v0.1/servers/${enc(SERVER)}/versions/1.0.0`);
    assert.equal(old.json.server.description, 'Forecasts, first text');
    await assertSignedEntry(old.json);
    // the diff names what the edit changed between the versions
    const diff = await ta.request('GET', `${manifestsPath(SERVER)}/1.1.0/diff/1.2.0`);
    assert.equal(diff.status, 200, diff.text);
    assert.deepEqual(diff.json.diff.server_json_changed, ['description', 'repository']);
    assert.equal(diff.json.diff.origin_changed, true);
    const same = await ta.request('GET', `${manifestsPath(SERVER)}/1.0.0/diff/1.1.0`);
    assert.deepEqual(same.json.diff.server_json_changed, []);
  });

  it('re-publishing an old version after the PATCH is 409: its origin (content) and server.json would differ', async () => {
    const again = await ta.request('POST', manifestsPath(SERVER), {
      token,
      body: { version: '1.0.0', tools: [WEATHER_TOOL] },
    });
    assertProblem(again, 409, 'body.version');
    assert.match(again.json.detail, /already published with other content; versions are immutable/);
  });

  it('the verifier refuses a served entry whose server.json was rewritten, or names another digest', async () => {
    const entry = (await ta.request('GET', `/v0.1/servers/${enc(SERVER)}/versions/1.0.0`)).json;
    const m = (await ta.request('GET', new URL(entry._meta[TRUST].manifest_url).pathname)).json;
    const verified = checkManifest(m.envelope, { keys });
    assert.ok(verified.ok);
    const rewritten = {
      ...entry,
      server: { ...entry.server, description: 'Forecasts, rewritten text' },
    };
    const r1 = checkRegistryEntry(rewritten, verified.value);
    assert.equal(r1.ok, false);
    assert.equal(!r1.ok && r1.code, EXIT.registryEntryMismatch);
    assert.equal(!r1.ok && r1.reason, 'server-json');
    const other = (await ta.request('GET', `/v0.1/servers/${enc(SERVER)}/versions/1.1.0`)).json;
    const r2 = checkRegistryEntry(other, verified.value);
    assert.equal(!r2.ok && r2.reason, 'digest');
    const lying = {
      ...entry,
      _meta: {
        ...entry._meta,
        [TRUST]: { ...entry._meta[TRUST], server_json_digest: sha256Jcs(rewritten.server) },
      },
    };
    assert.equal(
      (checkRegistryEntry(lying, verified.value) as { reason?: string }).reason,
      'server-json-digest',
    );

    // the CLI: verify manifest FILE --entry FILE
    const anchors = tempFile(
      'anchors.json',
      JSON.stringify((await ta.request('GET', '/v1/trust/anchors')).json),
    );
    const manifestFile = tempFile('manifest.json', JSON.stringify(m));
    const ok = await verifyCli([
      'manifest',
      manifestFile,
      '--anchors',
      anchors,
      '--entry',
      tempFile('entry.json', JSON.stringify(entry)),
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /registry entry's server\.json sha256:[0-9a-f]{64} is the signed one/);
    const bad = await verifyCli([
      'manifest',
      manifestFile,
      '--anchors',
      anchors,
      '--entry',
      tempFile('bad.json', JSON.stringify(rewritten)),
    ]);
    assert.equal(bad.code, EXIT.registryEntryMismatch);
    assert.match(bad.stderr, /^REJECTED \(exit 24, server-json\)/);
  });

  it('a version published before server.json was signed serves migration 0004’s snapshot, unchanged by edits', async () => {
    const r = await ta.request('POST', '/v1/servers', {
      token,
      body: {
        name: LEGACY,
        origin: 'https://legacy.frozen.com',
        description: 'Legacy text at upgrade',
        repository: REPO_1,
      },
    });
    assert.equal(r.status, 201, r.text);
    // A row as the previous release wrote it: a manifest without server_json, signed by the TA key.
    const content: ManifestContent = {
      mcps_manifest_version: MANIFEST_FORMAT_VERSION,
      server: LEGACY,
      version: '0.9.0',
      origin: 'https://legacy.frozen.com',
      tools: [READ_FILE_TOOL],
      prompts: [],
      resources: [],
    };
    const built = buildSignedManifest(
      {
        content,
        publishedAt: T2,
        previous: null,
        serverJson: undefined as never,
      },
      ta.keyring.documentSigner,
    );
    assert.equal('server_json' in JSON.parse(built.payload), false);
    await ta.db.sql(
      `insert into manifests (digest, server_name, version, position, content_digest, payload, signatures, state, is_latest, published_at, updated_at)
       values ($1, $2, '0.9.0', 1, $3, $4, $5::jsonb, 'published', true, $6, $6)`,
      [
        built.digest,
        LEGACY,
        contentDigestOf(content),
        built.payload,
        JSON.stringify(built.envelope.signatures),
        T2.toISOString(),
      ],
    );
    // The backfill statement of the migration, run as the upgrade runs it.
    const migrations = readdirSync(MIGRATIONS_FOLDER)
      .filter((f) => f.endsWith('.sql'))
      .map((f) => readFileSync(path.join(MIGRATIONS_FOLDER, f), 'utf8'));
    const backfill = migrations
      .flatMap((m) => m.split('--> statement-breakpoint'))
      .find((s) => /UPDATE "manifests"[\s\S]*legacy_server_json/.test(s));
    assert.ok(backfill, 'a migration backfills legacy rows');
    await ta.db.sql(backfill);

    const get = () => ta.request('GET', `/v0.1/servers/${enc(LEGACY)}/versions/0.9.0`);
    const first = await get();
    const same = await ta.request('POST', manifestsPath(LEGACY), {
      token,
      body: { version: '0.9.0', tools: [READ_FILE_TOOL] },
    });
    assert.equal(same.status, 200, same.text);
    assert.equal(same.json.digest, built.digest);
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(first.json.server, {
      $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
      name: LEGACY,
      description: 'Legacy text at upgrade',
      version: '0.9.0',
      repository: REPO_1,
    });
    assert.equal(first.json._meta[TRUST].server_json_signed, false);
    assert.equal(first.json._meta[TRUST].server_json_digest, sha256Jcs(first.json.server));
    const patch = await ta.request('PATCH', `/v1/servers/${LEGACY}`, {
      token,
      body: { description: 'Legacy text after upgrade', repository: null },
    });
    assert.equal(patch.status, 200, patch.text);
    assert.equal((await get()).text, first.text, 'the legacy snapshot does not follow edits');

    // its manifest still verifies; the verifier says plainly the served server.json is not signed
    const m = (await ta.request('GET', `/v1/manifests/${built.digest}`)).json;
    assert.equal(m.manifest.server_json, undefined);
    const verified = checkManifest(m.envelope, { keys });
    assert.ok(verified.ok, JSON.stringify(verified));
    const entryCheck = checkRegistryEntry(first.json, verified.value);
    assert.equal(!entryCheck.ok && entryCheck.reason, 'unsigned-server-json');
    // a re-publish of the legacy version compares with its snapshot: same tools, but the PATCH
    // changed the server.json it would get → 409 (before the PATCH it was idempotent: below)
    const again = await ta.request('POST', manifestsPath(LEGACY), {
      token,
      body: { version: '0.9.0', tools: [READ_FILE_TOOL] },
    });
    assertProblem(again, 409, 'body.version');
    assert.match(again.json.detail, /other server\.json description, repository/);
  });
});
