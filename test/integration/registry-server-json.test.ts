// Issue 17: a version is published with a full server.json (packages, remotes, title, websiteUrl,
// icons, repository, publisher-provided _meta); the signed manifest covers it, /v0.1 serves it as
// signed (the digest recomputed here from the served entry), it validates against the project's
// server.json schema; remotes[].url hosts need a proof like the origin; official compatibility:
// mixed-case names, /v0 aliases, health, ping, trailing slash, CORS.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { pae } from '../../src/crypto/dsse.js';
import { publicKeyFromJwk, verifyP256 } from '../../src/crypto/ecdsa.js';
import { canonicalBytes } from '../../src/crypto/jcs.js';
import { SERVER_JSON_SCHEMA, ServedServerJson } from '../../src/manifests/server-json-schema.js';
import { assertProblem } from '../support/problem.js';
import { officialServerValidator, projectValidators } from '../support/registry-schemas.js';
import {
  manifestsPath,
  READ_FILE_TOOL,
  registeredServer,
  verifiedNamespace,
} from '../support/registry.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';

const SERVER = 'com.example/weather';
const enc = encodeURIComponent;
const sha256 = (b: Uint8Array) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

export const FULL_SERVER_JSON = {
  title: 'Weather',
  websiteUrl: 'https://example.com/weather',
  icons: [
    {
      src: 'https://example.com/icon.png',
      mimeType: 'image/png',
      sizes: ['48x48', 'any'],
      theme: 'light',
    },
  ],
  repository: { url: 'https://github.com/example/weather', source: 'github', id: 'R_1' },
  packages: [
    {
      registryType: 'npm',
      registryBaseUrl: 'https://registry.npmjs.org',
      identifier: '@example/weather-mcp',
      version: '1.2.0',
      runtimeHint: 'npx',
      transport: { type: 'stdio' },
      runtimeArguments: [{ type: 'named', name: '--yes' }],
      packageArguments: [{ type: 'positional', valueHint: 'city', isRequired: true }],
      environmentVariables: [
        { name: 'WEATHER_API_KEY', isRequired: true, isSecret: true, description: 'API key' },
      ],
    },
    {
      registryType: 'mcpb',
      identifier: 'https://example.com/weather.mcpb',
      fileSha256: 'a'.repeat(64),
      transport: { type: 'stdio' },
    },
  ],
  remotes: [
    {
      type: 'streamable-http',
      url: 'https://mcp.example.com/mcp',
      headers: [
        {
          name: 'Authorization',
          value: 'Bearer {token}',
          variables: { token: { isSecret: true } },
        },
      ],
    },
    {
      type: 'sse',
      url: 'https://eu.mcp.example.com/{tenant}/sse',
      variables: { tenant: { default: 'acme' } },
    },
  ],
  _meta: { 'io.modelcontextprotocol.registry/publisher-provided': { build: { commit: 'abc123' } } },
};

/** The official list/entry envelope: {servers, metadata{count, nextCursor?}} of {server, _meta}. */
function assertEnvelope(list: any) {
  assert.deepEqual(Object.keys(list).sort(), ['metadata', 'servers']);
  assert.equal(list.metadata.count, list.servers.length);
  for (const e of list.servers) assertEntry(e);
}
function assertEntry(e: any) {
  assert.deepEqual(Object.keys(e).sort(), ['_meta', 'server']);
  const parsed = ServedServerJson.safeParse(e.server);
  assert.ok(parsed.success, JSON.stringify(parsed.error?.issues));
  assert.equal(e.server.$schema, SERVER_JSON_SCHEMA);
  const official = e._meta['io.modelcontextprotocol.registry/official'];
  assert.ok(['active', 'deprecated', 'deleted'].includes(official.status));
  assert.equal(typeof official.isLatest, 'boolean');
  for (const k of ['publishedAt', 'updatedAt', 'statusChangedAt'])
    assert.ok(!Number.isNaN(Date.parse(official[k])), k);
}

describe('server.json as published data (issue 17)', () => {
  let ta: TestService;
  let token: string;

  before(async () => {
    ta = await startTestService();
    ({ token } = await createPublisherWithToken(ta, 'Weather Co'));
    await verifiedNamespace(ta, token, 'com.example');
    await registeredServer(ta, token, SERVER, 'https://mcp.example.com');
  });
  after(async () => ta.stop());

  it('publishes packages, remotes, title, websiteUrl, icons and publisher _meta inside the signed manifest', async () => {
    const r = await ta.request('POST', manifestsPath(SERVER), {
      token,
      body: { version: '1.0.0', tools: [READ_FILE_TOOL], server_json: FULL_SERVER_JSON },
    });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.json.manifest.server_json, {
      $schema: SERVER_JSON_SCHEMA,
      name: SERVER,
      description: `The ${SERVER} server`,
      version: '1.0.0',
      ...FULL_SERVER_JSON,
    });
  });

  it('serves the entry byte for byte as signed: the digests recomputed from the served entry match', async () => {
    const res = await ta.request('GET', `/v0.1/servers/${enc(SERVER)}/versions/1.0.0`);
    assert.equal(res.status, 200, res.text);
    assertEntry(res.json);
    const { server, _meta } = res.json;
    const trust = _meta['dev.mcps-ta/trust'];
    assert.equal(sha256(canonicalBytes(server)), trust.server_json_digest);
    assert.equal(trust.server_json_signed, true);
    // The signed manifest, fetched where the entry points: its payload digest is the entry's digest,
    // and its server_json is exactly what was served.
    const m = await fetchManifest(trust.manifest_url);
    const payload = Buffer.from(m.envelope.payload, 'base64');
    assert.equal(sha256(payload), trust.digest);
    const signed = JSON.parse(payload.toString('utf8')).server_json;
    assert.equal(
      Buffer.from(canonicalBytes(signed)).toString('utf8'),
      Buffer.from(canonicalBytes(server)).toString('utf8'),
    );
    // …and that payload is the one the TA signed: the DSSE signature (PAE, ES256) verifies with the
    // JWKS key it names, and the entry lists the same signatures.
    const jwks = (await ta.request('GET', '/v1/trust/jwks')).json;
    assert.deepEqual(trust.signatures, m.envelope.signatures);
    for (const sig of m.envelope.signatures) {
      const jwk = jwks.keys.find((k: { kid: string }) => k.kid === sig.keyid);
      assert.ok(jwk, `the JWKS has ${sig.keyid}`);
      assert.ok(
        verifyP256(
          publicKeyFromJwk(jwk),
          pae(m.envelope.payloadType, payload),
          Buffer.from(sig.sig, 'base64'),
        ),
        'the envelope signature verifies',
      );
    }
    assert.equal(m.envelope.payloadType, trust.payload_type);
    assert.deepEqual(server.packages, FULL_SERVER_JSON.packages);
    assert.deepEqual(server.remotes, FULL_SERVER_JSON.remotes);
  });

  async function fetchManifest(url: string) {
    const path = new URL(url).pathname;
    const r = await ta.request('GET', path);
    assert.equal(r.status, 200, r.text);
    return r.json;
  }

  it('every /v0.1 list and versions response validates against the project schema and the official envelope', async () => {
    await ta.request('POST', manifestsPath(SERVER), {
      token,
      body: { version: '1.1.0', tools: [READ_FILE_TOOL] },
    });
    for (const path of [
      '/v0.1/servers',
      '/v0.1/servers?version=latest',
      `/v0.1/servers/${enc(SERVER)}/versions`,
      '/v0/servers',
      '/v0.1/servers?include_deleted=true',
    ]) {
      const r = await ta.request('GET', path);
      assert.equal(r.status, 200, `${path}: ${r.text}`);
      assertEnvelope(r.json);
      assert.ok(r.json.servers.length >= 1, path);
    }
  });

  it('every /v0.1 and /v0 response shape validates with ajv against schemas/ (and the official schema when at hand)', async () => {
    // A deprecated and a yanked version beside the published ones, a second server, a package-only version.
    const other = 'com.example/other';
    await registeredServer(ta, token, other);
    for (const version of ['0.1.0', '0.2.0', '0.3.0']) {
      const body = {
        version,
        tools: [READ_FILE_TOOL],
        server_json: { packages: FULL_SERVER_JSON.packages.slice(1) },
      };
      assert.equal((await ta.request('POST', manifestsPath(other), { token, body })).status, 201);
    }
    assert.equal(
      (
        await ta.request('POST', `${manifestsPath(other)}/0.2.0/deprecate`, {
          token,
          body: { reason: 'use 0.3.0' },
        })
      ).status,
      200,
    );
    assert.equal(
      (
        await ta.request('POST', `${manifestsPath(other)}/0.1.0/yank`, {
          token,
          body: { reason: 'malicious' },
        })
      ).status,
      200,
    );

    const v = projectValidators();
    const official = officialServerValidator();
    if (typeof official === 'string')
      console.log(`# official server.json schema: skipped — ${official}`);
    else
      console.log(
        `# official server.json schema: validating against the copy with sha256 ${official.sha256}`,
      );
    const seen = { lists: 0, entries: 0, states: new Set<string>() };
    const checkEntry = (e: any, where: string) => {
      seen.entries += 1;
      seen.states.add(e._meta['io.modelcontextprotocol.registry/official'].status);
      assert.equal(v.server(e.server), undefined, `${where}: ${e.server.name}@${e.server.version}`);
      if (typeof official !== 'string')
        assert.equal(
          official.check(e.server),
          undefined,
          `${where} (official): ${e.server.name}@${e.server.version}`,
        );
    };
    const checkList = (json: any, where: string) => {
      seen.lists += 1;
      assert.equal(v.list(json), undefined, where);
      for (const e of json.servers) checkEntry(e, where);
    };
    const get = async (path: string) => {
      const r = await ta.request('GET', path);
      assert.equal(r.status, 200, `${path}: ${r.text}`);
      return r.json;
    };
    for (const prefix of ['/v0.1', '/v0']) {
      for (const query of [
        '',
        'include_deleted=true',
        'search=weather',
        'search=',
        'version=latest',
        'version=1.0.0',
        'updated_since=2020-01-01T00:00:00Z',
      ]) {
        // limit=1 so every page but the last carries a nextCursor
        let cursor: string | undefined;
        let pages = 0;
        do {
          const json = await get(
            `${prefix}/servers?limit=1&${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          );
          checkList(json, `${prefix}/servers?${query} page ${pages}`);
          cursor = json.metadata.nextCursor;
          pages += 1;
        } while (cursor && pages < 50);
        assert.ok(pages < 50, 'paging ends');
      }
      checkList(await get(`${prefix}/servers/`), `${prefix}/servers/`);
      for (const name of [SERVER, other]) {
        const base = `${prefix}/servers/${enc(name)}/versions`;
        checkList(await get(base), base);
        checkList(await get(`${base}?include_deleted=true`), `${base}?include_deleted=true`);
        for (const path of [`${base}/latest`, `${base}/latest/`]) {
          const e = await get(path);
          assert.equal(v.entry(e), undefined, path);
          checkEntry(e, path);
        }
      }
      for (const path of [
        `${prefix}/servers/${enc(SERVER)}/versions/1.0.0`,
        `${prefix}/servers/${enc(other)}/versions/0.2.0`,
        `${prefix}/servers/${enc(other)}/versions/0.1.0?include_deleted=true`,
      ]) {
        const e = await get(path);
        assert.equal(v.entry(e), undefined, path);
        checkEntry(e, path);
      }
    }
    assert.deepEqual(
      [...seen.states].sort(),
      ['active', 'deleted', 'deprecated'],
      'every official status was validated',
    );
    console.log(`# validated ${seen.lists} list responses and ${seen.entries} entries`);
  });

  it('the project schema refuses what breaks it: the validators are not vacuous', async () => {
    const v = projectValidators();
    const e = await ta.request('GET', `/v0.1/servers/${enc(SERVER)}/versions/1.0.0`);
    assert.equal(v.entry(e.json), undefined);
    const broken = (f: (x: any) => void) => {
      const copy = structuredClone(e.json);
      f(copy);
      return copy;
    };
    assert.match(v.entry(broken((x) => delete x.server.$schema)) ?? '', /\$schema/);
    assert.match(
      v.entry(broken((x) => (x.server.packages[0].version = 'latest'))) ?? '',
      /packages\/0\/version/,
    );
    assert.match(
      v.entry(
        broken((x) => (x._meta['io.modelcontextprotocol.registry/official'].status = 'gone')),
      ) ?? '',
      /status/,
    );
    assert.match(
      v.entry(broken((x) => (x._meta['dev.mcps-ta/trust'].profile = 'Platinum'))) ?? '',
      /profile/,
    );
    assert.match(v.entry(broken((x) => (x._meta.extra = {}))) ?? '', /additional/);
    assert.match(v.list({ servers: [e.json], metadata: {} }) ?? '', /count/);
  });

  it('refuses a remote whose host the TA holds no proof for (409 naming the remote), and a templated host (400)', async () => {
    const foreign = await ta.request('POST', manifestsPath(SERVER), {
      token,
      body: {
        version: '2.0.0',
        tools: [READ_FILE_TOOL],
        server_json: { remotes: [{ type: 'streamable-http', url: 'https://mcp.evil.net/mcp' }] },
      },
    });
    assertProblem(foreign, 409, 'body.server_json.remotes.0.url');
    const plain = await ta.request('POST', manifestsPath(SERVER), {
      token,
      body: {
        version: '2.0.0',
        tools: [READ_FILE_TOOL],
        server_json: { remotes: [{ type: 'sse', url: 'http://mcp.example.com/sse' }] },
      },
    });
    assertProblem(plain, 409, 'body.server_json.remotes.0.url');
    const templated = await ta.request('POST', manifestsPath(SERVER), {
      token,
      body: {
        version: '2.0.0',
        tools: [READ_FILE_TOOL],
        server_json: { remotes: [{ type: 'sse', url: 'https://{tenant}.example.com/sse' }] },
      },
    });
    assertProblem(templated, 400, 'body.server_json.remotes.0.url');
    assert.equal(
      (await ta.request('GET', `/v0.1/servers/${enc(SERVER)}/versions/2.0.0`)).status,
      404,
      'nothing was published',
    );
  });

  it('validates server.json members by the official rules, naming the field', async () => {
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ icons: [{ src: 'http://example.com/i.png' }] }, 'body.server_json.icons.0.src'],
      [
        { icons: [{ src: 'https://example.com/i.png', sizes: ['big'] }] },
        'body.server_json.icons.0.sizes.0',
      ],
      [
        {
          packages: [
            {
              registryType: 'npm',
              identifier: 'x',
              version: 'latest',
              transport: { type: 'stdio' },
            },
          ],
        },
        'body.server_json.packages.0.version',
      ],
      [
        {
          packages: [
            {
              registryType: 'npm',
              identifier: 'x',
              version: '^1.2.0',
              transport: { type: 'stdio' },
            },
          ],
        },
        'body.server_json.packages.0.version',
      ],
      [
        {
          packages: [
            {
              registryType: 'mcpb',
              identifier: 'x',
              fileSha256: 'XYZ',
              transport: { type: 'stdio' },
            },
          ],
        },
        'body.server_json.packages.0.fileSha256',
      ],
      [{ remotes: [{ type: 'stdio' }] }, 'body.server_json.remotes.0.type'],
      [{ title: 'x'.repeat(101) }, 'body.server_json.title'],
      [{ description: 'x'.repeat(101) }, 'body.server_json.description'],
      [{ websiteUrl: 'not a url' }, 'body.server_json.websiteUrl'],
      [{ unknownMember: true }, 'body.server_json'],
      [{ _meta: { 'io.modelcontextprotocol.registry/official': {} } }, 'body.server_json._meta'],
    ];
    for (const [server_json, field] of bad) {
      const r = await ta.request('POST', manifestsPath(SERVER), {
        token,
        body: { version: '3.0.0', tools: [READ_FILE_TOOL], server_json },
      });
      assertProblem(r, 400, field);
    }
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 40; i += 1) deep = { d: deep };
    const r = await ta.request('POST', manifestsPath(SERVER), {
      token,
      body: {
        version: '3.0.0',
        tools: [READ_FILE_TOOL],
        server_json: { _meta: { 'io.modelcontextprotocol.registry/publisher-provided': deep } },
      },
    });
    assert.ok(r.status === 400, r.text);
  });

  it('a mixed-case namespace is claimed case-insensitively and the name is served as published', async () => {
    const other = await createPublisherWithToken(ta, 'Juxta');
    await verifiedNamespace(ta, other.token, 'io.github.jUXTAPOSITION1');
    const ns = await ta.request('GET', '/v1/namespaces/io.github.juxtaposition1', {
      token: other.token,
    });
    assert.equal(ns.status, 200, ns.text);
    const name = 'io.github.jUXTAPOSITION1/vape';
    const reg = await ta.request('POST', '/v1/servers', {
      token: other.token,
      body: { name, origin: 'https://juxtaposition1.github.io', description: 'Vape' },
    });
    assert.equal(reg.status, 201, reg.text);
    assert.equal(reg.json.name, name);
    assert.equal(reg.json.namespace, 'io.github.juxtaposition1');
    const pub = await ta.request('POST', `/v1/servers/${name}/manifests`, {
      token: other.token,
      body: { version: '0.1.0', tools: [READ_FILE_TOOL] },
    });
    assert.equal(pub.status, 201, pub.text);
    const got = await ta.request('GET', `/v0.1/servers/${enc(name)}/versions/latest`);
    assert.equal(got.status, 200, got.text);
    assert.equal(got.json.server.name, name);
    // Another publisher cannot use the same namespace in another case.
    const squat = await ta.request('POST', '/v1/servers', {
      token,
      body: {
        name: 'io.github.Juxtaposition1/x',
        origin: 'https://juxtaposition1.github.io',
        description: 'x',
      },
    });
    assertProblem(squat, 403);
  });

  it('answers /v0.1 and /v0 health, ping and aliases, with or without a trailing slash', async () => {
    for (const prefix of ['/v0.1', '/v0']) {
      assert.deepEqual((await ta.request('GET', `${prefix}/health`)).json, { status: 'ok' });
      assert.deepEqual((await ta.request('GET', `${prefix}/ping`)).json, { pong: true });
      const slash = await ta.request('GET', `${prefix}/servers/`);
      assert.equal(slash.status, 200, slash.text);
      assertEnvelope(slash.json);
      const v = await ta.request('GET', `${prefix}/servers/${enc(SERVER)}/versions/1.0.0/`);
      assert.equal(v.status, 200, v.text);
    }
  });

  it('CORS: public GETs carry Access-Control-Allow-Origin *, a GET preflight is 204, a write preflight is refused', async () => {
    const get = await ta.request('GET', '/v0.1/servers', {
      headers: { origin: 'https://elsewhere.example' },
    });
    assert.equal(get.headers.get('access-control-allow-origin'), '*');
    const pre = await ta.request('OPTIONS', '/v0.1/servers', {
      headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'GET' },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), '*');
    assert.match(pre.headers.get('access-control-allow-methods') ?? '', /GET/);
    const write = await ta.request('OPTIONS', '/v0.1/publish', {
      headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(write.status, 403);
    assert.equal(write.headers.get('access-control-allow-origin'), null);
    const post = await ta.request('POST', '/v0.1/publish', {
      token,
      body: {},
      headers: { origin: 'https://elsewhere.example' },
    });
    assert.equal(post.headers.get('access-control-allow-origin'), null, 'no CORS grant on a write');
    const admin = await ta.request('GET', '/admin/login', {
      headers: { origin: 'https://elsewhere.example' },
    });
    assert.equal(
      admin.headers.get('access-control-allow-origin'),
      null,
      'the admin UI is not open to other origins',
    );
  });
});
