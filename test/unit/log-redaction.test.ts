// Log lines never carry SQL parameters, driver details, cookies, tokens or CSRF values, however
// a log call hands them over. The database errors here are real: PGlite raising on queries whose
// parameters hold a known secret.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { openDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { createLogger, REDACT_PATHS } from '../../src/logger.js';

const SECRET = 'sekret-4b1d-param-value';

function capture(): { lines: () => string; logger: ReturnType<typeof createLogger> } {
  let text = '';
  const sink = new Writable({
    write(chunk, _enc, cb) {
      text += chunk.toString();
      cb();
    },
  });
  return { lines: () => text, logger: createLogger('info', sink) };
}

async function failing(h: DatabaseHandle, query: ReturnType<typeof sql>): Promise<Error> {
  try {
    await h.db.execute(query);
  } catch (err) {
    return err as Error;
  }
  throw new Error('the query did not fail');
}

describe('log redaction', () => {
  let h: DatabaseHandle;
  before(async () => {
    h = await openDatabase({ dataDir: 'memory://' });
    await h.db.execute(sql`create table t (v text primary key)`);
    await h.db.execute(sql`insert into t values (${SECRET})`);
  });
  after(async () => h.close());

  it('a data exception (the value quoted in the driver message) logs its SQLSTATE, never the parameter', async () => {
    const err = await failing(h, sql`select ${SECRET}::int`);
    assert.ok(
      err.message.includes(SECRET),
      'precondition: drizzle puts the parameter in the message',
    );
    const { lines, logger } = capture();
    logger.error({ err }, 'unhandled error');
    logger.error(err);
    logger.warn({ err: { message: err.message } }, 'as a plain message');
    logger.warn(`string form: ${err.message}`);
    const out = lines();
    assert.ok(!out.includes(SECRET), out);
    assert.ok(!out.includes('select $1'), 'query text logged');
    const first = JSON.parse(out.split('\n')[0]!);
    assert.equal(first.err.cause.code, '22P02');
    assert.match(first.err.cause.message, /invalid input syntax for type integer/);
    assert.equal(first.err.type, 'DrizzleQueryError');
    assert.ok(first.err.stack.includes(' at '), 'the frames stay for debugging');
  });

  it('a unique violation keeps the constraint name but drops the detail that quotes the key', async () => {
    const err = await failing(h, sql`insert into t values (${SECRET})`);
    const cause = err.cause as { detail?: string };
    assert.ok(cause.detail?.includes(SECRET), 'precondition: the driver detail names the value');
    const { lines, logger } = capture();
    logger.error({ err }, 'unhandled error');
    const out = lines();
    assert.ok(!out.includes(SECRET), out);
    const line = JSON.parse(out);
    assert.equal(line.err.cause.code, '23505');
    assert.equal(line.err.cause.constraint, 't_pkey');
    assert.ok(!('detail' in line.err.cause));
  });

  it('members named like secrets are censored at any depth; buffers never reach a line', () => {
    const { lines, logger } = capture();
    logger.info(
      {
        request: {
          headers: { cookie: `mcpsta_admin=${SECRET}`, 'x-csrf-token': SECRET },
          csrf: SECRET,
        },
        session: { csrf_token: SECRET, secret_hash: SECRET, api_token: SECRET },
        key: Buffer.from(SECRET),
        params: [SECRET],
      },
      'object with secrets',
    );
    const out = lines();
    assert.ok(!out.includes(SECRET), out);
    assert.match(out, /\[redacted\]/);
  });

  it('every path of REDACT_PATHS is censored, at its own depth and deeper (no pino redact needed)', () => {
    for (const p of REDACT_PATHS) {
      const names = p.split('.').map((n) => (n === '*' ? 'anything' : n));
      const { lines, logger } = capture();
      let value: unknown = SECRET;
      for (const n of [...names].reverse()) value = { [n]: value };
      logger.info(value as object, 'path');
      logger.info({ outer: { inner: value } }, 'deeper');
      assert.ok(!lines().includes(SECRET), `${p}: ${lines()}`);
    }
  });
});
