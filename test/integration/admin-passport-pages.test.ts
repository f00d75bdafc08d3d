// Admin UI passport pages (issue 6): list with search, filters and pages; "find" by id and key
// id; the passport page with its verified key-continuity chain; revoke with an RFC 5280 reason
// and L4 approval, each after a confirmation step, through the API's domain functions and
// audited as admin:<username>.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AdminClient, createAdmin, csrfOf } from '../support/admin.js';
import { issueAgentPassport, rotate } from '../support/passports.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';

interface Event {
  seq: number;
  actor: string;
  action: string;
  subject: string;
  data: Record<string, unknown>;
}

async function eventsFor(ta: TestService, subject: string): Promise<Event[]> {
  return (
    (await ta.request('GET', '/v1/audit?limit=1000', { token: ta.adminToken })).json
      .items as Event[]
  ).filter((e) => e.subject === subject);
}

const rowsOf = (html: string) =>
  [...html.matchAll(/<tr id="(asp_[0-9a-f]{32})">/g)].map((m) => m[1]!);

describe('admin passport pages', () => {
  let ta: TestService;
  let b: AdminClient;
  let token = '';
  let first = '';
  let current = '';
  let currentKid = '';
  let other = '';

  before(async () => {
    ta = await startTestService();
    await createAdmin(ta, 'alice');
    b = new AdminClient(ta);
    assert.equal((await b.signIn('alice')).status, 303);
    ({ token } = await createPublisherWithToken(ta, 'Acme Agents'));
    const issued = await issueAgentPassport(ta, token, { name: 'support-bot' });
    first = issued.res.json.passport.passport_id;
    const rotated = await rotate(ta, token, first, issued.key);
    assert.equal(rotated.res.status, 201, rotated.res.text);
    current = rotated.res.json.passport.passport_id;
    currentKid = rotated.key.kid;
    other = (await issueAgentPassport(ta, token, { name: 'billing-bot' })).res.json.passport
      .passport_id;
  });
  after(async () => ta.stop());

  it('lists passports, searches by id, subject or key id, and filters by state', async () => {
    const list = await b.get('/admin/passports');
    assert.equal(list.status, 200);
    assert.deepEqual(new Set(rowsOf(list.text)), new Set([first, current, other]));
    assert.deepEqual(rowsOf((await b.get(`/admin/passports?search=${current}`)).text), [current]);
    assert.deepEqual(rowsOf((await b.get(`/admin/passports?search=${currentKid}`)).text), [
      current,
    ]);
    assert.deepEqual(rowsOf((await b.get('/admin/passports?search=Billing')).text), [other]);
    const superseded = await b.get('/admin/passports?status=superseded');
    assert.deepEqual(rowsOf(superseded.text), [first]);
    assert.match(superseded.text, /data-status="superseded"/);
    assert.match(
      (await b.get('/admin/passports?search=nothing-like-this')).text,
      /No passports match\./,
    );
    assert.equal((await b.get('/admin/passports?status=bogus')).status, 400);
    assert.equal((await b.get('/admin/passports?publisher=pub_nope')).status, 400);
    assert.equal((await b.get('/admin/passports?cursor=garbage')).status, 400);
  });

  it('"find" opens a passport by id, and the passports of a key id', async () => {
    assert.equal((await b.get(`/admin/find?q=${current}`)).location, `/admin/passports/${current}`);
    assert.equal(
      (await b.get(`/admin/find?q=${currentKid}`)).location,
      `/admin/passports?search=${currentKid}`,
    );
    assert.equal((await b.get(`/admin/find?q=asp_${'0'.repeat(32)}`)).status, 404);
    assert.equal((await b.get(`/admin/passports/asp_${'0'.repeat(32)}`)).status, 404);
  });

  it('shows a passport with its key-continuity chain, checked link by link', async () => {
    const page = await b.get(`/admin/passports/${current}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /data-status="active"/);
    assert.match(page.text, /chain verified<\/span> All 2 links check out/);
    assert.match(
      page.text,
      new RegExp(
        `<tr id="link-0">.*?<td>issued</td>.*?href="/admin/passports/${first}".*?data-status="superseded"`,
      ),
    );
    assert.match(
      page.text,
      new RegExp(
        `<tr id="link-1">.*?<td>rotated</td>.*?${current}</code> <strong>\\(this passport\\)</strong>`,
      ),
    );
    assert.match(page.text, /Approve for trust level 4…/);
    assert.match(page.text, new RegExp(`href="/admin/passports/${current}/revoke"`));
    const old = await b.get(`/admin/passports/${first}`);
    assert.match(
      old.text,
      new RegExp(`<dt>Superseded by</dt><dd><a href="/admin/passports/${current}">`),
    );
  });

  it('a tampered chain link is reported as broken', async () => {
    const [original] = await ta.db.sql(
      'select document from passport_chain_links where passport_id = $1',
      [current],
    );
    await ta.db.sql(
      `update passport_chain_links set document = jsonb_set(document, '{at}', '"2001-01-01T00:00:00.000Z"') where passport_id = $1`,
      [current],
    );
    try {
      assert.match(
        (await b.get(`/admin/passports/${current}`)).text,
        /chain broken<\/span> Link 1 fails: TA countersignature/,
      );
    } finally {
      await ta.db.sql(
        'update passport_chain_links set document = $2::jsonb where passport_id = $1',
        [current, JSON.stringify(original!.document)],
      );
    }
    assert.match((await b.get(`/admin/passports/${current}`)).text, /chain verified/);
  });

  it('revokes after a confirmation step with an RFC 5280 reason; status is REVOKED; audited as admin:alice', async () => {
    const path = `/admin/passports/${other}/revoke`;
    const ask = await b.get(path);
    assert.equal(ask.status, 200);
    assert.match(ask.text, /<label for="reason">Reason \(RFC 5280\)<\/label>/);
    assert.match(ask.text, /<option value="keyCompromise">keyCompromise — /);
    assert.equal(
      (await ta.request('GET', `/api/verify/${other}`)).json.status,
      'VALID',
      'asking revokes nothing',
    );
    const csrf = csrfOf(ask.text);
    const noReason = await b.request('POST', path, { _csrf: csrf, reason: '' });
    assert.equal(noReason.status, 400);
    assert.match(noReason.text, /id="reason-error"/);
    assert.equal(
      (await b.request('POST', path, { reason: 'keyCompromise' })).status,
      403,
      'no CSRF token',
    );
    assert.equal((await ta.request('GET', `/api/verify/${other}`)).json.status, 'VALID');

    const done = await b.request('POST', path, { _csrf: csrf, reason: 'keyCompromise' });
    assert.equal(done.status, 303);
    assert.equal(done.location, `/admin/passports/${other}`);
    const status = await ta.request('GET', `/api/verify/${other}`);
    assert.equal(status.json.status, 'REVOKED');
    assert.equal(status.json.revocation_reason, 'keyCompromise');
    const page = await b.get(done.location!);
    assert.match(page.text, new RegExp(`Passport ${other} revoked \\(keyCompromise\\)\\.`));
    assert.match(
      page.text,
      /<dt>State<\/dt><dd><span class="badge badge-bad" data-status="revoked">/,
    );
    assert.doesNotMatch(page.text, /Revoke…/);
    const events = await eventsFor(ta, `passport:${other}`);
    const revoked = events.find((e) => e.action === 'passport.revoked');
    assert.equal(revoked?.actor, 'admin:alice');
    assert.equal(revoked?.data.reason, 'keyCompromise');
  });

  it('approves for trust level 4: re-issued at L4, the old one superseded, audited with the note', async () => {
    const path = `/admin/passports/${current}/approve`;
    const ask = await b.get(path);
    assert.equal(ask.status, 200);
    assert.match(ask.text, /<label for="note">What you audited \(optional\)<\/label>/);
    const done = await b.request('POST', path, {
      _csrf: csrfOf(ask.text),
      note: 'reviewed in SEC-42',
    });
    assert.equal(done.status, 303);
    const approved = /^\/admin\/passports\/(asp_[0-9a-f]{32})$/.exec(done.location ?? '')![1]!;
    assert.notEqual(approved, current);
    const api = await ta.request('GET', `/v1/passports/${approved}`);
    assert.equal(api.json.passport.trust_level, 4);
    const page = await b.get(done.location!);
    assert.match(
      page.text,
      new RegExp(
        `Approved: passport ${approved} issued at trust level 4; ${current} is superseded\\.`,
      ),
    );
    assert.match(
      page.text,
      /<dt>L4 approval<\/dt><dd><a href="\/admin\/audit\?before=\d+#seq-\d+">audit event \d+<\/a>/,
    );
    assert.match(page.text, /All 3 links check out/);
    const event = (await eventsFor(ta, `passport:${current}`)).find(
      (e) => e.action === 'passport.approved',
    );
    assert.equal(event?.actor, 'admin:alice');
    assert.equal(event?.data.note, 'reviewed in SEC-42');
    assert.equal(event?.data.approved_passport_id, approved);
  });

  it('an action the domain refuses is shown on the form with its reason, and changes nothing', async () => {
    const before = (await eventsFor(ta, `passport:${other}`)).length;
    const path = `/admin/passports/${other}/approve`;
    const refused = await b.submit(path, path, { note: '' });
    assert.equal(refused.status, 409);
    assert.match(refused.text, /role="alert"[^]*cannot approve passport [^:]+: it is revoked/);
    assert.match(
      refused.text,
      /<button type="submit" class="danger">Approve for trust level 4<\/button>/,
    );
    assert.equal((await eventsFor(ta, `passport:${other}`)).length, before);
  });

  it('pages through a long list with a cursor', async () => {
    for (let i = 0; i < 24; i += 1)
      assert.equal((await issueAgentPassport(ta, token, { name: `paged-${i}` })).res.status, 201);
    const firstPage = await b.get('/admin/passports');
    assert.equal(rowsOf(firstPage.text).length, 25);
    const next = /href="(\/admin\/passports\?cursor=[^"]+)" rel="next"/
      .exec(firstPage.text)![1]!
      .replace(/&amp;/g, '&');
    const second = await b.get(next);
    const total = Number((await ta.db.sql('select count(*)::int as n from passports'))[0]!.n);
    assert.equal(rowsOf(second.text).length, total - 25);
    assert.equal(new Set([...rowsOf(firstPage.text), ...rowsOf(second.text)]).size, total);
    assert.match(second.text, /End of list/);
  });
});
