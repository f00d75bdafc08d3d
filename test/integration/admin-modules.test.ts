// The admin UI's generic building blocks, through a section written only with them: it gets
// navigation, sign-in and CSRF protection, a searchable, filterable, paged list, a detail page,
// a confirmed action with a reason, dashboard figures and "find".
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Hono } from 'hono';
import type { AppDeps } from '../../src/http/deps.js';
import { createLogger } from '../../src/logger.js';
import { ADMIN_MODULES, adminRoutes } from '../../web/admin/routes.js';
import { AdminClient, createAdmin, csrfOf } from '../support/admin.js';
import { notesModule, type Note } from '../support/notes-module.js';
import { startTestService, type TestService } from '../support/service.js';

function depsOf(ta: TestService): AppDeps {
  return { ...ta.deps, logger: createLogger('silent') };
}

describe('an admin section built from the building blocks', () => {
  let ta: TestService;
  let b: AdminClient;
  const notes: Note[] = Array.from({ length: 23 }, (_, i) => ({
    id: `note_${i}`,
    title: `Note ${String(i).padStart(2, '0')}`,
    status: 'active',
    reason: null,
  }));

  before(async () => {
    ta = await startTestService();
    await createAdmin(ta, 'alice');
    const app = new Hono().route(
      '/',
      adminRoutes(depsOf(ta), [...ADMIN_MODULES, notesModule(notes)]),
    );
    b = new AdminClient({ app });
    assert.equal((await b.signIn('alice')).status, 303);
  });
  after(async () => ta.stop());

  it('is behind sign-in and appears in the navigation', async () => {
    const anonymous = new AdminClient({
      app: new Hono().route('/', adminRoutes(depsOf(ta), [notesModule(notes)])),
    });
    assert.equal((await anonymous.get('/admin/notes')).status, 303);
    const page = await b.get('/admin/notes');
    assert.equal(page.status, 200);
    assert.match(page.text, /<a href="\/admin\/notes" aria-current="page">Notes<\/a>/);
  });

  it('lists with pages, search and a validated filter', async () => {
    const first = await b.get('/admin/notes');
    assert.equal((first.text.match(/>Note \d\d</g) ?? []).length, 10);
    const third = await b.get('/admin/notes?cursor=20');
    assert.deepEqual(third.text.match(/>Note \d\d</g), ['>Note 20<', '>Note 21<', '>Note 22<']);
    assert.match(third.text, /« First page/);
    const search = await b.get('/admin/notes?search=Note%201');
    assert.equal((search.text.match(/>Note 1\d</g) ?? []).length, 10);
    assert.equal((await b.get('/admin/notes?status=bogus')).status, 400);
  });

  it('asks before acting, insists on a reason, then acts and says so', async () => {
    const ask = await b.get('/admin/notes/note_3/revoke');
    assert.equal(ask.status, 200);
    assert.match(ask.text, /<label for="reason">Reason<\/label>/);
    const csrf = csrfOf(ask.text);
    const noReason = await b.request('POST', '/admin/notes/note_3/revoke', {
      _csrf: csrf,
      reason: '',
    });
    assert.equal(noReason.status, 400);
    assert.match(noReason.text, /id="reason-error"/);
    assert.equal(notes[3]!.status, 'active');
    assert.equal(
      (await b.request('POST', '/admin/notes/note_3/revoke', { reason: 'superseded' })).status,
      403,
      'no CSRF token',
    );
    const done = await b.request('POST', '/admin/notes/note_3/revoke', {
      _csrf: csrf,
      reason: 'superseded',
    });
    assert.equal(done.status, 303);
    assert.equal(notes[3]!.reason, 'superseded');
    const detail = await b.get(done.location!);
    assert.match(detail.text, /Note Note 03 revoked\./);
    assert.match(detail.text, /data-status="revoked"/);
    assert.equal((await b.get('/admin/notes/note_99')).status, 404);
  });

  it('adds its figures to the dashboard (leaving out unknown ones, instants as UTC times, by order) and its ids to "find"', async () => {
    const dash = await b.get('/admin');
    const figures = [...dash.text.matchAll(/<span class="stat-label">(?:<a [^>]*>)?([^<]+)</g)].map(
      (m) => m[1],
    );
    assert.equal(figures[0], 'Next review', 'order 1 comes before every built-in figure');
    assert.ok(
      figures.indexOf('Active passports') < figures.indexOf('Revoked notes'),
      'figures without an order come last',
    );
    assert.match(
      dash.text,
      /<span class="stat-value"><time datetime="2030-01-02T03:04:05.000Z">2030-01-02 03:04:05 UTC<\/time><\/span> <span class="stat-label">Next review<\/span>/,
    );
    assert.match(
      dash.text,
      /<span class="stat-value">1<\/span> <span class="stat-label"><a href="\/admin\/notes\?status=revoked">Revoked notes<\/a>/,
    );
    assert.doesNotMatch(dash.text, /Not known yet/);
    assert.equal((await b.get('/admin/find?q=note_7')).location, '/admin/notes/note_7');
  });
});
