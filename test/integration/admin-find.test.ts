// Issue 18: "Find" finds anything — an id opens its page; a name, a SAN or a tool name lists the
// matches grouped by kind (passports, certificates, agents, servers, manifests, namespaces,
// publishers); lists show publisher names with the id as secondary text.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AdminClient, createAdmin } from '../support/admin.js';
import { makeCsr } from '../support/csr.js';
import { issueAgentPassport } from '../support/passports.js';
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

/** The groups of a results page, as `kind → [link texts]`. */
function groupsOf(html: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of html.matchAll(
    /<section aria-labelledby="found-[^"]+" class="found"><h2 id="found-[^"]+">([A-Za-z]+) <span[^>]*>[^<]*<\/span><\/h2><ul class="hits">(.*?)<\/ul><\/section>/g,
  )) {
    out[m[1]!] = [...m[2]!.matchAll(/<li><a href="[^"]+">([^<]+)<\/a>/g)].map((x) => x[1]!);
  }
  return out;
}

describe('admin: find anything', () => {
  let ta: TestService;
  let b: AdminClient;
  let publisherId: string;
  let tokenId: string;
  let serial: string;

  before(async () => {
    ta = await startTestService();
    await createAdmin(ta, 'alice');
    b = new AdminClient(ta);
    assert.equal((await b.signIn('alice')).status, 303);
    const acme = await createPublisherWithToken(ta, 'Travel Works');
    publisherId = acme.publisherId;
    tokenId = acme.tokenId;
    assert.equal(
      (await issueAgentPassport(ta, acme.token, { name: 'travel-agent' })).res.status,
      201,
    );
    await verifiedNamespace(ta, acme.token, 'com.travelworks');
    await registeredServer(ta, acme.token, 'com.travelworks/booking');
    const tools = [
      READ_FILE_TOOL,
      { name: 'book_flight', description: 'Book a flight', inputSchema: { type: 'object' } },
    ];
    assert.equal(
      (
        await ta.request('POST', manifestsPath('com.travelworks/booking'), {
          token: acme.token,
          body: { version: '1.0.0', tools },
        })
      ).status,
      201,
    );
    const csr = makeCsr('P-256', { san: 'DNS:mcp.travelworks.com' });
    const cert = await ta.request('POST', '/v1/certificates', {
      token: acme.token,
      body: { csr: csr.csrPem, profile: 'server', subject: 'com.travelworks/booking' },
    });
    assert.equal(cert.status, 201, cert.text);
    serial = cert.json.serial;
  });
  after(async () => ta.stop());

  it('finds an agent and its passport by name', async () => {
    const r = await b.get('/admin/find?q=travel-agent');
    assert.equal(r.status, 200);
    const g = groupsOf(r.text);
    assert.deepEqual(g.Agents, ['travel-agent']);
    assert.deepEqual(g.Passports, ['agent travel-agent']);
    assert.equal(g.Publishers, undefined, 'no publisher is called that');
  });

  it('finds a certificate by a SAN, and a manifest by a tool name', async () => {
    const bySan = groupsOf((await b.get('/admin/find?q=mcp.travelworks.com')).text);
    assert.deepEqual(bySan.Certificates, ['server certificate for DNS:mcp.travelworks.com']);
    const page = await b.get('/admin/find?q=book_flight');
    assert.deepEqual(groupsOf(page.text).Manifests, ['com.travelworks/booking@1.0.0']);
    assert.match(page.text, /tool book_flight · /);
    assert.equal((await b.get('/admin/find?q=no_such_tool')).status, 404);
  });

  it('groups what a word matches in several kinds', async () => {
    const g = groupsOf((await b.get('/admin/find?q=travelworks')).text);
    assert.deepEqual(g.Servers, ['com.travelworks/booking']);
    assert.deepEqual(g.Namespaces, ['com.travelworks']);
    assert.deepEqual(g.Manifests, ['com.travelworks/booking@1.0.0']);
    assert.ok(g.Certificates?.length === 1);
  });

  it('still opens a page for an exact id (serial, publisher id, audit seq)', async () => {
    assert.equal(
      (await b.get(`/admin/find?q=${serial}`)).location,
      `/admin/certificates/${serial}`,
    );
    assert.equal(
      (await b.get(`/admin/find?q=${publisherId}`)).location,
      `/admin/publishers/${publisherId}`,
    );
    assert.equal((await b.get('/admin/find?q=3')).location, '/admin/audit?before=4#seq-3');
  });

  it("opens a token by id: a publisher's on its row of the publisher page, a TA-wide one as its audit trail", async () => {
    const at = `/admin/publishers/${publisherId}#${tokenId}`;
    assert.equal((await b.get(`/admin/find?q=${tokenId}`)).location, at);
    assert.match((await b.get(at.split('#')[0]!)).text, new RegExp(`<tr id="${tokenId}">`));
    const adminTokenId = (await ta.request('GET', '/v1/token', { token: ta.adminToken })).json
      .token_id as string;
    assert.match(adminTokenId, /^tok_/);
    const trail = (await b.get(`/admin/find?q=${adminTokenId}`)).location!;
    assert.equal(trail, `/admin/audit?actor=token%3A${adminTokenId}`);
    assert.match((await b.get(trail)).text, /publisher\.created/, 'its events are listed');
    assert.equal((await b.get(`/admin/find?q=tok_${'0'.repeat(16)}`)).status, 404);
  });

  it('lists show the publisher by name, the id as secondary text', async () => {
    for (const path of ['/admin/agents', '/admin/servers', '/admin/namespaces']) {
      const r = await b.get(path);
      assert.ok(
        r.text.includes(
          `<a href="/admin/publishers/${publisherId}">Travel Works</a> <span class="secondary"><code class="id">${publisherId}</code></span>`,
        ),
        path,
      );
    }
  });
});
