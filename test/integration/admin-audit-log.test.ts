// Issue 18: the audit log as a table — filters by actor, action, subject, outcome and UTC date
// range; details as a key–value list; keyset pages; CSV (RFC 4180, formula-safe) and JSON Lines
// exports of exactly the filtered view; the verification result at the top.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { csvField } from '../../src/audit/list.js';
import { fixedClock } from '../../src/clock.js';
import { AdminClient, createAdmin } from '../support/admin.js';
import { parseCsv } from '../support/csv.js';
import { startTestService, type TestService } from '../support/service.js';

describe('admin: audit log filters, details and exports', () => {
  let ta: TestService;
  let b: AdminClient;
  const clock = fixedClock(new Date('2026-03-01T10:00:00Z'));
  const admin = (method: string, p: string, body?: unknown) =>
    ta.request(method, p, { token: ta.adminToken, body });

  before(async () => {
    ta = await startTestService({ clock });
    await createAdmin(ta, 'alice');
    b = new AdminClient(ta);
    for (const name of ['Day One A', 'Day One B'])
      assert.equal((await admin('POST', '/v1/publishers', { name })).status, 201);
    clock.set(new Date('2026-03-02T23:59:00Z'));
    assert.equal(
      (await admin('POST', '/v1/publishers', { name: 'Day Two, "quoted"' })).status,
      201,
    );
    clock.set(new Date('2026-03-03T08:00:00Z'));
    assert.equal((await b.signIn('alice')).status, 303);
  });
  after(async () => ta.stop());

  it('shows the verification at the top and the events as columns, details folded as a key–value list', async () => {
    const page = await b.get('/admin/audit?action=publisher.created');
    assert.equal(page.status, 200);
    assert.ok(
      page.text.indexOf('tree head verified') < page.text.indexOf('<table'),
      'the signed tree head comes first',
    );
    assert.match(
      page.text,
      /<th scope="col">Actor<\/th><th scope="col">Action<\/th><th scope="col">Subject<\/th><th scope="col">Outcome<\/th><th scope="col">Details<\/th>/,
    );
    assert.equal((page.text.match(/<tr id="seq-\d+">/g) ?? []).length, 3);
    // The disclosure sits in the Details cell; what it opens is the full-width row below.
    assert.match(
      page.text,
      /<details class="kv" aria-controls="data-(\d+)"><summary>\d+ fields?<\/summary><\/details><\/td><\/tr><tr class="more"><td colspan="7"><dl class="kv" id="data-\1" aria-label="Details of event \1"><div><dt>[a-z_]+<\/dt><dd><code>/,
    );
    assert.match(
      page.text,
      /data-status="ok"[^>]*><span aria-hidden="true">✓ <\/span>success<\/span>/,
    );
  });

  it('filters by UTC day range (both days included) together with the action', async () => {
    const day1 = await b.get('/admin/audit?action=publisher.created&from=2026-03-01&to=2026-03-01');
    assert.equal((day1.text.match(/<tr id="seq-\d+">/g) ?? []).length, 2);
    const day2 = await b.get('/admin/audit?action=publisher.created&from=2026-03-02&to=2026-03-02');
    assert.equal(
      (day2.text.match(/<tr id="seq-\d+">/g) ?? []).length,
      1,
      '23:59 UTC is still that day',
    );
    const none = await b.get('/admin/audit?action=publisher.created&from=2026-03-03');
    assert.match(none.text, /No audit events match\./);
    for (const bad of [
      'from=2026-02-30',
      'to=yesterday',
      'from=2026-03-02&to=2026-03-01',
      'outcome=maybe',
      'before=-1',
    ]) {
      const r = await b.get(`/admin/audit?${bad}`);
      assert.equal(r.status, 400, bad);
    }
    assert.equal(
      (await b.get('/admin/audit?outcome=refused')).text.includes('No audit events match.'),
      true,
      'nothing recorded as refused',
    );
  });

  it('filters by subject and by outcome, and the export follows the same filter', async () => {
    const pubs = (await admin('GET', '/v1/publishers?search=Day%20One%20B')).json.items as Array<{
      id: string;
    }>;
    const subject = `publisher:${pubs[0]!.id}`;
    const page = await b.get(`/admin/audit?subject=${encodeURIComponent(subject)}`);
    assert.equal(page.status, 200);
    assert.equal((page.text.match(/<tr id="seq-\d+">/g) ?? []).length, 1);
    assert.ok(page.text.includes(`>${subject}</a>`));
    const csv = parseCsv(
      (await b.get(`/admin/audit/export.csv?subject=${encodeURIComponent(subject)}`)).text,
    );
    assert.deepEqual(
      csv.slice(1).map((r) => [r[3], r[4]]),
      [['publisher.created', subject]],
    );
    const success = await b.get('/admin/audit?outcome=success&action=publisher.created');
    assert.equal((success.text.match(/<tr id="seq-\d+">/g) ?? []).length, 3);
  });

  it('exports exactly the filtered view as CSV and JSON Lines', async () => {
    const page = await b.get('/admin/audit?action=publisher.created&from=2026-03-01');
    const href = /href="(\/admin\/audit\/export\.csv\?[^"]+)"/
      .exec(page.text)![1]!
      .replace(/&amp;/g, '&');
    assert.equal(href, '/admin/audit/export.csv?action=publisher.created&from=2026-03-01');
    const csv = await b.get(href);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type')!, /^text\/csv/);
    assert.match(csv.headers.get('content-disposition')!, /attachment; filename="audit\.csv"/);
    const rows = parseCsv(csv.text);
    assert.deepEqual(rows[0], [
      'seq',
      'occurred_at',
      'actor',
      'action',
      'subject',
      'outcome',
      'data',
    ]);
    assert.equal(rows.length, 4);
    assert.deepEqual(
      rows.slice(1).map((r) => r[3]),
      ['publisher.created', 'publisher.created', 'publisher.created'],
    );
    assert.deepEqual(
      rows.slice(1).map((r) => r[1]),
      ['2026-03-02T23:59:00.000Z', '2026-03-01T10:00:00.000Z', '2026-03-01T10:00:00.000Z'],
    );
    assert.equal(
      JSON.parse(rows[1]![6]!).name,
      'Day Two, "quoted"',
      'commas and quotes survive the round trip',
    );
    const api = (await admin('GET', '/v1/audit?limit=1000')).json.items as Array<{
      seq: number;
      action: string;
    }>;
    assert.deepEqual(
      rows.slice(1).map((r) => Number(r[0])),
      api
        .filter((e) => e.action === 'publisher.created')
        .map((e) => e.seq)
        .reverse(),
    );

    const jsonl = await b.get('/admin/audit/export.jsonl?action=publisher.created&to=2026-03-01');
    const lines = jsonl.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(lines.length, 2);
    assert.deepEqual(Object.keys(lines[0]), [
      'seq',
      'occurred_at',
      'actor',
      'action',
      'subject',
      'outcome',
      'data',
    ]);
    assert.equal((await b.get('/admin/audit/export.csv?from=nope')).status, 400);
    assert.equal(
      (await new AdminClient(ta).get('/admin/audit/export.csv')).status,
      303,
      'signed-in admins only',
    );
  });

  it('neutralises spreadsheet formulas in CSV fields', () => {
    assert.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
    assert.equal(csvField('-1'), "'-1");
    assert.equal(csvField('plain'), 'plain');
  });
});
