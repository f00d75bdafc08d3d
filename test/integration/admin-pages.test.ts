// Admin UI actions and pages (issue 6): create publisher, create token (shown once), revoke with
// a confirmation step — through the same domain functions as the API, audited as the admin;
// lists search and page; the audit page shows the chain check; "find" jumps to ids.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AdminClient, createAdmin } from '../support/admin.js';
import { startTestService, type TestService } from '../support/service.js';
import { frontierKeys } from '../../src/log/merkle.js';
import { readTreeHead } from '../../src/log/tree-head.js';

async function auditEvents(
  ta: TestService,
): Promise<Array<{ seq: number; actor: string; action: string; subject: string }>> {
  return (await ta.request('GET', '/v1/audit?limit=1000', { token: ta.adminToken })).json.items;
}

describe('admin pages', () => {
  let ta: TestService;
  let b: AdminClient;
  let publisherId: string;
  before(async () => {
    ta = await startTestService();
    await createAdmin(ta, 'alice');
    b = new AdminClient(ta);
    assert.equal((await b.signIn('alice')).status, 303);
  });
  after(async () => ta.stop());

  it('creates a publisher, audited as admin:alice, and shows it with a notice', async () => {
    const res = await b.submit('/admin/publishers/new', '/admin/publishers', {
      name: 'Acme Tools',
    });
    assert.equal(res.status, 303);
    publisherId = /^\/admin\/publishers\/(pub_[0-9a-f]{32})$/.exec(res.location ?? '')![1]!;
    const page = await b.get(res.location!);
    assert.match(page.text, /role="status"[^]*Publisher “Acme Tools” created\./);
    assert.equal(
      (await b.get(res.location!)).text.includes('created.'),
      false,
      'the notice is shown once',
    );
    const api = await ta.request('GET', `/v1/publishers/${publisherId}`, { token: ta.adminToken });
    assert.equal(api.json.name, 'Acme Tools');
    const event = (await auditEvents(ta)).find((e) => e.subject === `publisher:${publisherId}`);
    assert.equal(event?.action, 'publisher.created');
    assert.equal(event?.actor, 'admin:alice');
  });

  it('a bad or duplicate name re-shows the form with the field error and stores nothing', async () => {
    const before = (await auditEvents(ta)).length;
    const bad = await b.submit('/admin/publishers/new', '/admin/publishers', { name: '  ' });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /class="field-error" id="name-error"/);
    assert.match(bad.text, /aria-invalid="true"/);
    const dup = await b.submit('/admin/publishers/new', '/admin/publishers', {
      name: 'Acme Tools',
    });
    assert.equal(dup.status, 409);
    assert.match(dup.text, /already taken/);
    assert.equal((await auditEvents(ta)).length, before);
  });

  it('creates a token, shows it once (no-store), and the API accepts it', async () => {
    const res = await b.submit(
      `/admin/publishers/${publisherId}/tokens/new`,
      `/admin/publishers/${publisherId}/tokens`,
      {
        role: 'publisher',
        label: 'CI deploy',
        expires_at: '',
      },
    );
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const token = /value="(mcpsta_tok_[0-9a-f]{16}_[A-Za-z0-9_-]{43})"/.exec(res.text)![1]!;
    const me = await ta.request('GET', '/v1/token', { token });
    assert.equal(me.status, 200);
    assert.equal(me.json.publisher_id, publisherId);
    const detail = await b.get(`/admin/publishers/${publisherId}`);
    assert.match(detail.text, new RegExp(me.json.token_id));
    assert.ok(!detail.text.includes(token.slice(-43)), 'the secret is not on the detail page');
    const event = (await auditEvents(ta)).find((e) => e.subject === `token:${me.json.token_id}`);
    assert.equal(event?.actor, 'admin:alice');
  });

  it('a token expiry in the past is a field error', async () => {
    const res = await b.submit(
      `/admin/publishers/${publisherId}/tokens/new`,
      `/admin/publishers/${publisherId}/tokens`,
      {
        role: 'auditor',
        label: '',
        expires_at: '2001-01-01',
      },
    );
    assert.equal(res.status, 400);
    assert.match(res.text, /id="expires_at-error"[^]*must be in the future/);
  });

  it('revoking asks first (GET changes nothing), then revokes on POST; the API refuses the token; audited', async () => {
    const created = await b.submit(
      `/admin/publishers/${publisherId}/tokens/new`,
      `/admin/publishers/${publisherId}/tokens`,
      { role: 'publisher', label: 'to revoke', expires_at: '' },
    );
    const token = /value="(mcpsta_tok_[0-9a-f]{16}_[A-Za-z0-9_-]{43})"/.exec(created.text)![1]!;
    const tokenId = /^mcpsta_(tok_[0-9a-f]{16})_/.exec(token)![1]!;
    const confirmPath = `/admin/publishers/${publisherId}/tokens/${tokenId}/revoke`;
    const ask = await b.get(confirmPath);
    assert.equal(ask.status, 200);
    assert.match(ask.text, /This cannot be undone\./);
    assert.match(ask.text, /<button type="submit" class="danger">Revoke token<\/button>/);
    assert.equal(
      (await ta.request('GET', '/v1/token', { token })).status,
      200,
      'the confirmation page revokes nothing',
    );

    const done = await b.submit(confirmPath, confirmPath);
    assert.equal(done.status, 303);
    assert.equal(done.location, `/admin/publishers/${publisherId}#${tokenId}`);
    assert.equal((await ta.request('GET', '/v1/token', { token })).status, 401);
    const detail = await b.get(`/admin/publishers/${publisherId}`);
    assert.match(detail.text, new RegExp(`<tr id="${tokenId}">.*?data-status="revoked".*?</tr>`));
    assert.match(detail.text, /Token tok_[0-9a-f]{16} revoked\./);
    const revoked = await b.get(`/admin/publishers/${publisherId}?tokens=revoked`);
    assert.match(revoked.text, new RegExp(tokenId));
    const active = await b.get(`/admin/publishers/${publisherId}?tokens=active`);
    assert.doesNotMatch(active.text, new RegExp(tokenId));
    const event = (await auditEvents(ta)).find(
      (e) => e.subject === `token:${tokenId}` && e.action === 'token.revoked',
    );
    assert.equal(event?.actor, 'admin:alice');
  });

  it('the publisher list searches and pages', async () => {
    for (let i = 0; i < 27; i += 1) {
      const r = await ta.request('POST', '/v1/publishers', {
        token: ta.adminToken,
        body: { name: `Paged ${String(i).padStart(2, '0')}` },
      });
      assert.equal(r.status, 201);
    }
    const first = await b.get('/admin/publishers?search=Paged');
    assert.equal((first.text.match(/>Paged \d\d</g) ?? []).length, 25);
    const next = /href="(\/admin\/publishers\?search=Paged&amp;cursor=[^"]+)" rel="next"/
      .exec(first.text)![1]!
      .replace(/&amp;/g, '&');
    const second = await b.get(next);
    assert.equal((second.text.match(/>Paged \d\d</g) ?? []).length, 2);
    assert.match(second.text, /End of list/);
    const none = await b.get('/admin/publishers?search=zzz-nothing');
    assert.match(none.text, /No publishers match\./);
    const byId = await b.get(`/admin/publishers?search=${publisherId}`);
    assert.match(byId.text, />Acme Tools</);
    assert.equal((await b.get('/admin/publishers?cursor=garbage')).status, 400);
  });

  it("the audit page shows the admin's events and the verified tree head; the full check, on demand, names a tampered row", async () => {
    const page = await b.get('/admin/audit?actor=admin%3Aalice');
    assert.equal(page.status, 200);
    const checkpoint = (await ta.request('GET', '/v1/log/checkpoint')).json;
    assert.match(
      page.text,
      /tree head verified<\/span> Signed tree head: (\d+) events, root <code class="id">([^<]+)<\/code>/,
    );
    const [, size, root] =
      /Signed tree head: (\d+) events, root <code class="id">([^<]+)<\/code>/.exec(page.text)!;
    assert.equal(Number(size), checkpoint.tree_size);
    assert.equal(root, checkpoint.root_hash);
    assert.match(
      page.text,
      /JSON checkpoint signature \(key <code class="id">[^<]+<\/code>\) verifies\./,
    );
    assert.match(page.text, /Signed note by the log key verifies\./);
    assert.match(page.text, /The stored tree hashes to this root\./);
    assert.match(page.text, /0 events wait to be sequenced\./);
    assert.doesNotMatch(page.text, /chain verified/, 'the whole log is not recomputed per view');
    assert.match(
      page.text,
      /<a href="\/admin\/audit\?actor=admin%3Aalice&amp;verify=full">Verify every event now<\/a>/,
    );
    assert.match((await b.get('/admin/audit?verify=full')).text, /chain verified/);
    for (const action of ['admin.login', 'publisher.created', 'token.created', 'token.revoked'])
      assert.ok(page.text.includes(`<td>${action}</td>`), action);
    assert.doesNotMatch(page.text, /<td>authority_key\.created<\/td>/, 'filtered by actor');
    const events = await auditEvents(ta);
    const target = events[Math.floor(events.length / 2)]!.seq;
    await ta.db.sql(`update audit_events set actor = 'mallory' where seq = $1`, [target]);
    // A changed row leaves the signed head and the tree as they were: only the full check sees it.
    assert.match((await b.get('/admin/audit')).text, /tree head verified/);
    const broken = await b.get('/admin/audit?verify=full');
    assert.match(
      broken.text,
      new RegExp(
        `chain broken</span> The audit log has been altered: seq ${target} fails \\(hash-mismatch\\)`,
      ),
    );
    await ta.db.sql(`update audit_events set actor = $2 where seq = $1`, [
      target,
      events.find((e) => e.seq === target)!.actor,
    ]);
  });

  it('the tree head turns invalid when the stored tree or the checkpoint signature is altered, and counts unsequenced events', async () => {
    const size = Number(
      (await ta.db.sql('select max(tree_size)::int as size from log_checkpoints'))[0]!.size,
    );
    // The largest complete subtree of the signed size: a node the root at that size is made of.
    const [level, idx] = frontierKeys(size)[0]!;
    const [node] = await ta.db.sql(
      'select hash from log_tree_nodes where level = $1 and idx = $2',
      [level, idx],
    );
    await ta.db.sql(
      `update log_tree_nodes set hash = decode(repeat('00', 32), 'hex') where level = $1 and idx = $2`,
      [level, idx],
    );
    const tree = await b.get('/admin/audit');
    assert.match(tree.text, /tree head invalid<\/span>/);
    assert.match(tree.text, /The stored tree does NOT hash to this root/);
    await ta.db.sql('update log_tree_nodes set hash = $1 where level = $2 and idx = $3', [
      node!.hash,
      level,
      idx,
    ]);
    assert.match((await b.get('/admin/audit')).text, /tree head verified/);
    const [cp] = await ta.db.sql('select document from log_checkpoints where tree_size = $1', [
      size,
    ]);
    const doc = cp!.document as Record<string, unknown>;
    await ta.db.sql('update log_checkpoints set document = $2 where tree_size = $1', [
      size,
      JSON.stringify({ ...doc, timestamp: '2000-01-01T00:00:00.000Z' }),
    ]);
    const sig = await b.get('/admin/audit');
    assert.match(sig.text, /tree head invalid<\/span> Signed tree head: /);
    assert.match(
      sig.text,
      /JSON checkpoint signature \(key <code class="id">[^<]+<\/code>\) does NOT verify\./,
    );
    await ta.db.sql('update log_checkpoints set document = $2 where tree_size = $1', [
      size,
      JSON.stringify(doc),
    ]);
    // Events the sequencer has not numbered yet are counted (it is stopped for the count; the page
    // itself first sequences what was committed before it, so it reads the head the same way).
    await ta.log.stop();
    try {
      for (let i = 0; i < 2; i += 1)
        await ta.request('POST', '/v1/publishers', {
          token: ta.adminToken,
          body: { name: `Unsequenced ${i}` },
        });
      const n = Number(
        (await ta.db.sql('select count(*)::int as n from audit_events where seq is null'))[0]!.n,
      );
      const report = await readTreeHead(ta.persistence.stores.log, {
        documentKey: () => undefined,
      });
      assert.equal(report.unsequenced, n);
      assert.ok(n >= 2);
      assert.equal(report.head?.documentSignature, 'unknown-key');
    } finally {
      ta.log.start();
    }
    assert.match((await b.get('/admin/audit')).text, /0 events wait to be sequenced\./);
  });

  it('the audit log pages back in time', async () => {
    for (let i = 0; i < 20; i += 1)
      await ta.request('POST', '/v1/publishers', {
        token: ta.adminToken,
        body: { name: `Older ${i}` },
      });
    const first = await b.get('/admin/audit');
    const seqs = [...first.text.matchAll(/<tr id="seq-(\d+)">/g)].map((m) => Number(m[1]));
    assert.equal(seqs.length, 50);
    assert.deepEqual(
      seqs,
      [...seqs].sort((x, y) => y - x),
    );
    const older = /href="(\/admin\/audit\?before=\d+)" rel="next"/.exec(first.text)![1]!;
    const second = await b.get(older);
    const next = [...second.text.matchAll(/<tr id="seq-(\d+)">/g)].map((m) => Number(m[1]));
    assert.equal(next[0], seqs.at(-1)! - 1);
  });

  it('the dashboard shows counts, authority keys and the newest events', async () => {
    const page = await b.get('/admin');
    const publishers = (await ta.db.sql('select count(*)::int as n from publishers'))[0]!.n;
    assert.match(
      page.text,
      new RegExp(
        `<span class="stat-value">${publishers}</span> <span class="stat-label"><a href="/admin/publishers">Publishers</a>`,
      ),
    );
    assert.match(page.text, /Active API tokens/);
    for (const purpose of ['passport-signing', 'root-ca', 'issuing-ca'])
      assert.ok(page.text.includes(`<td>${purpose}</td>`), purpose);
    assert.equal((page.text.match(/<tr id="seq-\d+">/g) ?? []).length, 10);
  });

  it('"find" opens what an id names, and lists what a name matches', async () => {
    assert.equal(
      (await b.get(`/admin/find?q=${publisherId}`)).location,
      `/admin/publishers/${publisherId}`,
    );
    const byName = await b.get('/admin/find?q=Acme');
    assert.equal(byName.status, 200, 'a name lists what it matches, grouped by kind');
    assert.match(
      byName.text,
      /<h2 id="found-publishers">Publishers <span class="muted">\(1\)<\/span><\/h2>/,
    );
    assert.match(
      byName.text,
      new RegExp(`<a href="/admin/publishers/${publisherId}">Acme[^<]*</a>`),
    );
    assert.equal((await b.get('/admin/find?q=no-such-thing-anywhere')).status, 404);
    assert.equal(
      (await b.get('/admin/find?q=admin%3Aalice')).location,
      '/admin/audit?actor=admin%3Aalice',
    );
    assert.equal((await b.get(`/admin/find?q=pub_${'0'.repeat(32)}`)).status, 404);
    const kid = (await ta.request('GET', '/v1/trust/jwks')).json.keys[0].kid;
    assert.equal((await b.get(`/admin/find?q=${kid}`)).location, `/admin/keys#key-${kid}`);
  });

  it('unknown pages and ids are HTML 404s; pages carry a CSP and no-store', async () => {
    const missing = await b.get(`/admin/publishers/pub_${'0'.repeat(32)}`);
    assert.equal(missing.status, 404);
    assert.match(missing.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal((await b.get('/admin/nothing-here')).status, 404);
    const page = await b.get('/admin');
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.equal(page.headers.get('x-frame-options'), 'DENY');
    assert.equal(page.headers.get('cache-control'), 'no-store');
    const css = await b.get('/admin/assets/admin.css');
    assert.equal(css.status, 200);
    assert.match(css.text, /:focus-visible/);
  });
});
