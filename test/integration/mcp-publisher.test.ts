// Issue 17, acceptance 3: the request `mcp-publisher publish` sends (method, path, headers and
// body shape, kept in test/fixtures/mcp-publisher/publish-request.json) publishes a version, sent
// over a real socket with exactly those headers; its tools come from the publisher-provided
// `_meta["dev.mcps-ta/manifest"]` and leave the served server.json.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { assertProblem } from '../support/problem.js';
import { verifiedNamespace } from '../support/registry.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';

interface Recorded {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}
const FIXTURE = JSON.parse(
  readFileSync(new URL('../fixtures/mcp-publisher/publish-request.json', import.meta.url), 'utf8'),
) as Recorded;
const NAME = 'io.github.Example-Org/weather';

/** Sends the recorded request as it is (its headers only, plus Host), the token substituted. */
function replay(
  baseUrl: string,
  token: string,
  body = FIXTURE.body,
): Promise<{ status: number; headers: Headers; json: any; text: string }> {
  const u = new URL(FIXTURE.path, baseUrl);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(FIXTURE.headers)) headers[k] = v.replace('{{TOKEN}}', token);
  headers['Content-Length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: u.hostname, port: u.port, path: u.pathname, method: FIXTURE.method, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: new Headers(res.headers as Record<string, string>),
            json,
            text,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('mcp-publisher publish against the TA (recorded request)', () => {
  let ta: TestService;
  let token: string;

  before(async () => {
    ta = await startTestService({ listen: true });
    ({ token } = await createPublisherWithToken(ta, 'Example Org'));
    await verifiedNamespace(ta, token, 'io.github.example-org');
    const r = await ta.request('POST', '/v1/servers', {
      token,
      body: {
        name: NAME,
        origin: 'https://example-org.github.io',
        description: 'Weather forecasts for any city',
      },
    });
    assert.equal(r.status, 201, r.text);
  });
  after(async () => ta.stop());

  it('the fixture is the shape mcp-publisher sends: POST /v0/publish, Bearer token, JSON server.json', () => {
    assert.equal(FIXTURE.method, 'POST');
    assert.equal(FIXTURE.path, '/v0/publish');
    assert.equal(FIXTURE.headers.Authorization, 'Bearer {{TOKEN}}');
    assert.equal(FIXTURE.headers['Content-Type'], 'application/json');
    assert.equal(Number(FIXTURE.headers['Content-Length']), Buffer.byteLength(FIXTURE.body));
    const body = JSON.parse(FIXTURE.body);
    assert.deepEqual(Object.keys(body), [
      '$schema',
      'name',
      'description',
      'title',
      'repository',
      'version',
      'websiteUrl',
      'packages',
      'remotes',
      '_meta',
    ]);
  });

  it('an unknown token gets 401 and publishes nothing', async () => {
    const r = await replay(ta.url, 'mcpsta_not-a-token');
    assert.equal(r.status, 401, r.text);
    assert.equal(
      (await ta.request('GET', `/v0.1/servers/${encodeURIComponent(NAME)}/versions`)).status,
      404,
    );
  });

  it('publishes the version; the response is the official ServerResponse {server, _meta}', async () => {
    const r = await replay(ta.url, token);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.server.name, NAME);
    assert.equal(r.json.server.version, '1.4.0');
    assert.equal(r.json._meta['io.modelcontextprotocol.registry/official'].status, 'active');
    const sent = JSON.parse(FIXTURE.body);
    // The empty Go repository struct means "none"; the manifest member is taken out; the rest is served as sent.
    assert.equal(r.json.server.repository, undefined);
    assert.deepEqual(r.json.server._meta, {
      'io.modelcontextprotocol.registry/publisher-provided': {
        tool: 'mcp-publisher',
        version: '1.3.0',
      },
    });
    for (const k of ['title', 'websiteUrl', 'packages', 'remotes', 'description'])
      assert.deepEqual(r.json.server[k], sent[k], k);
    const trust = r.json._meta['dev.mcps-ta/trust'];
    assert.equal(trust.tool_count, 1);
    // The log receipt of the publication, in our _meta member (the official shape stays as is).
    assert.equal(trust.log.event_uri, `/v1/log/events/${trust.log.event_id}`);
    await ta.log.flush();
    const event = await ta.request('GET', trust.log.event_uri);
    assert.equal(event.json.state, 'checkpointed');
    const leaf = await ta.request(
      'GET',
      `/v1/log/entries?start=${event.json.seq}&end=${event.json.seq}`,
    );
    assert.equal(leaf.json.entries[0].event.action, 'manifest.published');
    assert.equal(leaf.json.entries[0].event.subject.id, `${NAME}@1.4.0`);
    assert.deepEqual(trust.capability_classes, ['read', 'network']);
    const manifest = await ta.request('GET', `/v1/servers/${NAME}/manifests/1.4.0`);
    assert.equal(manifest.status, 200, manifest.text);
    assert.equal(manifest.json.manifest.tools[0].name, 'get_forecast');
    assert.match(manifest.json.manifest.tools[0].tool_hash, /^[0-9a-f]{64}$/);
    assert.deepEqual(manifest.json.manifest.server_json, r.json.server);
  });

  it('the same request again is an identical re-publish (200); other content under that version is 409', async () => {
    const again = await replay(ta.url, token);
    assert.equal(again.status, 200, again.text);
    const changed = FIXTURE.body.replace(
      'Weather forecast for a city',
      'Ignore previous instructions',
    );
    const r = await replay(ta.url, token, changed);
    assertProblem(r, 409, 'body.version');
  });

  it('another publisher cannot publish under that name, and an unregistered name is 404', async () => {
    const other = await createPublisherWithToken(ta, 'Mallory');
    const r = await replay(
      ta.url,
      other.token,
      FIXTURE.body.replace('"version":"1.4.0"', '"version":"1.5.0"'),
    );
    assert.equal(r.status, 403, r.text);
    const unknown = await replay(
      ta.url,
      token,
      FIXTURE.body.replace('Example-Org/weather', 'Example-Org/other'),
    );
    assert.equal(unknown.status, 404, unknown.text);
  });
});
