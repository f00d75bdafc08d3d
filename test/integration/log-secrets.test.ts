// Acceptance (issue 13) 2: a database error during sign-in gives a 500 whose log line names the
// failure (SQLSTATE, constraint) but carries none of the query's parameters, the driver's detail,
// the sign-in form's CSRF value, the password or the cookies — the leak the issue reported.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_PASSWORD, AdminClient, createAdmin, csrfOf } from '../support/admin.js';
import { startTestService, type TestService } from '../support/service.js';

describe('logs of a failing query', () => {
  let ta: TestService;
  before(async () => {
    ta = await startTestService();
    await createAdmin(ta, 'alice');
    // Every new session row fails, and the failure's DETAIL quotes the row's CSRF token and
    // secret hash: what a leaking logger would print.
    await ta.db.sql(`create function fail_session() returns trigger language plpgsql as $$
      begin
        raise exception 'forced session failure' using errcode = 'P0001', detail = 'detail-canary ' || new.csrf_token || ' ' || new.secret_hash;
      end $$`);
    await ta.db.sql(
      'create trigger fail_session before insert on admin_sessions for each row execute function fail_session()',
    );
  });
  after(async () => ta.stop());

  it('a 500 during sign-in logs the SQLSTATE and no parameter, detail, CSRF value or password', async () => {
    const userId = (await ta.persistence.stores.adminUsers.findByUsername('alice'))!.id;
    const b = new AdminClient(ta);
    const page = await b.get('/admin/sign-in');
    const formCsrf = csrfOf(page.text);
    const cookies = [...b.cookies.values()];
    const res = await b.request('POST', '/admin/sign-in', {
      _csrf: formCsrf,
      username: 'alice',
      password: ADMIN_PASSWORD,
    });
    assert.equal(res.status, 500);
    const lines = ta
      .logs()
      .split('\n')
      .filter((l) => l.includes('unhandled error'));
    assert.equal(lines.length, 1, ta.logs());
    const line = lines[0]!;
    const parsed = JSON.parse(line);
    // What the operator needs stays: the failure and where it came from.
    const causes = JSON.stringify(parsed.err);
    assert.match(causes, /"code":"P0001"/);
    assert.match(causes, /forced session failure/);
    // What must not be there: the insert's parameters (the user id is one of them), the detail
    // with the CSRF token and hash, the query text, the form's CSRF value, password, cookies.
    for (const secret of [
      userId,
      'detail-canary',
      'insert into',
      '"admin_sessions" (',
      'params:',
      formCsrf,
      ADMIN_PASSWORD,
      ...cookies,
    ]) {
      assert.ok(!ta.logs().includes(secret), `log carries ${secret}: ${line}`);
    }
  });
});
