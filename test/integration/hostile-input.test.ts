// Acceptance (issue 13) 4, generated from the route table: every operation of the OpenAPI
// document gets `\u0000` in each path and query parameter and each top-level body member, and a
// 10,000-level nested body — each a 400 naming the field, none a 5xx, nothing stored. Plus the
// cases the issue reported by hand: NUL in `search` of the public listings, and a manifest whose
// annotations nest 4,000 levels (once stored half-way on PGlite).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildOpenApiDocument } from '../../src/http/openapi.js';
import { MAX_JSON_DEPTH } from '../../src/http/input-limits.js';
import { AdminClient, createAdmin, csrfOf } from '../support/admin.js';
import { assertProblem } from '../support/problem.js';
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

type Schema = { $ref?: string; properties?: Record<string, unknown>; allOf?: Schema[] };
type Operation = {
  parameters?: Array<{ name: string; in: string }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
};
type Doc = {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
};

function propertyNames(doc: Doc, schema: Schema | undefined): string[] {
  if (!schema) return [];
  if (schema.$ref)
    return propertyNames(doc, doc.components?.schemas?.[schema.$ref.split('/').pop()!]);
  return [
    ...Object.keys(schema.properties ?? {}),
    ...(schema.allOf ?? []).flatMap((s) => propertyNames(doc, s)),
  ];
}

const fillPath = (template: string) => template.replace(/\{[^}]+\}/g, 'x');

describe('hostile input on every route', () => {
  let ta: TestService;
  let token: string;
  let doc: Doc;
  let rowsBefore: string;
  before(async () => {
    ta = await startTestService();
    ({ token } = await createPublisherWithToken(ta, 'Hostile Co'));
    await verifiedNamespace(ta, token, 'com.hostile');
    await registeredServer(ta, token, 'com.hostile/tools');
    doc = buildOpenApiDocument(ta.app) as unknown as Doc;
    rowsBefore = await rowCounts();
  });
  after(async () => ta.stop());

  /** Row count of every table: what "nothing stored" is checked against. */
  async function rowCounts(): Promise<string> {
    const tables = await ta.db.sql(
      `select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
    );
    const counts: Record<string, number> = {};
    for (const { table_name } of tables) {
      if (table_name === 'sign_in_failures' || table_name === 'admin_sessions') continue; // the form case below signs in
      counts[String(table_name)] = Number(
        (await ta.db.sql(`select count(*)::int as n from "${String(table_name)}"`))[0]!.n,
      );
    }
    return JSON.stringify(counts);
  }

  const operations = () =>
    Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.entries(ops).map(([m, op]) => ({ method: m.toUpperCase(), path: p, op })),
    );

  it('NUL in any query parameter of any operation → 400 naming query.<name>', async () => {
    let tried = 0;
    for (const { method, path, op } of operations()) {
      for (const param of (op.parameters ?? []).filter((x) => x.in === 'query')) {
        tried += 1;
        const res = await ta.request(method, `${fillPath(path)}?${param.name}=a%00b`, {
          token: ta.adminToken,
        });
        assertProblem(res, 400, `query.${param.name}`);
        assert.match(res.json.detail, /U\+0000/);
      }
    }
    assert.ok(tried >= 10, `only ${tried} query parameters in the OpenAPI document`);
  });

  it('NUL or another control character in any path parameter of any operation → 400 naming path.<name>', async () => {
    let tried = 0;
    for (const { method, path, op } of operations()) {
      for (const param of (op.parameters ?? []).filter((x) => x.in === 'path')) {
        for (const value of ['a%00b', '%01', 'x%7F']) {
          tried += 1;
          const url = fillPath(path.replace(`{${param.name}}`, value));
          const body = ['POST', 'PUT', 'PATCH'].includes(method) ? {} : undefined;
          const res = await ta.request(method, url, { token: ta.adminToken, body });
          assertProblem(res, 400, `path.${param.name}`);
          assert.match(res.json.detail, /control character U\+00(00|01|7F)/, `${method} ${url}`);
        }
      }
    }
    assert.ok(tried >= 60, `only ${tried} path parameters in the OpenAPI document`);
  });

  it('\\u0000 in any body member of any operation, and a 10,000-level body → 400 naming the field', async () => {
    const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    let tried = 0;
    for (const { method, path, op } of operations()) {
      const names = propertyNames(doc, op.requestBody?.content?.['application/json']?.schema);
      if (!op.requestBody?.content?.['application/json']) continue;
      for (const name of names) {
        tried += 1;
        const res = await ta.request(method, fillPath(path), {
          token: ta.adminToken,
          body: { [name]: 'nul\u0000here' },
        });
        assertProblem(res, 400, `body.${name}`);
        const nested = await ta.request(method, fillPath(path), {
          token: ta.adminToken,
          body: { [name]: { inner: ['ok', '\u0001'] } },
        });
        assertProblem(nested, 400, `body.${name}.inner.1`);
      }
      const res = await ta.request(method, fillPath(path), { token: ta.adminToken, body: deep });
      assert.equal(res.status, 400, `${method} ${path}: ${res.status} ${res.text.slice(0, 200)}`);
      assert.match(res.json.errors[0].field, /^body\.a\.a\.a/);
      assert.match(res.json.detail, new RegExp(`nested deeper than ${MAX_JSON_DEPTH} levels`));
    }
    assert.ok(tried >= 20, `only ${tried} body members in the OpenAPI document`);
  });

  it('NUL in search of the public listings and in write fields → 400 naming the field', async () => {
    for (const path of [
      '/v1/servers?search=%00',
      '/v0.1/servers?search=%00',
      '/v0/servers?search=x%00y',
    ]) {
      assertProblem(await ta.request('GET', path), 400, 'query.search');
    }
    const res = await ta.request('POST', '/v1/servers', {
      token,
      body: { name: 'com.hostile/nul', origin: 'https://mcp.hostile.com', description: 'a\u0000b' },
    });
    assertProblem(res, 400, 'body.description');
    // A member name with a control character is refused too, naming its parent.
    assertProblem(
      await ta.request('POST', '/v1/publishers', {
        token: ta.adminToken,
        body: '{"name":"x","meta":{"k\\u0000":1}}',
      }),
      400,
      'body.meta',
    );
    // Escaped lone surrogates have no UTF-8 form: refused like control characters.
    assertProblem(
      await ta.request('POST', '/v1/publishers', {
        token: ta.adminToken,
        body: '{"name":"\\ud800x"}',
      }),
      400,
      'body.name',
    );
    // Paired surrogates (an emoji) and ordinary whitespace are fine.
    const ok = await ta.request('POST', '/v1/publishers', {
      token: ta.adminToken,
      body: { name: 'Emoji \ud83d\ude00 Co' },
    });
    assert.equal(ok.status, 201, ok.text);
    rowsBefore = await rowCounts();
  });

  it('an admin form with a NUL → 400 naming the form field', async () => {
    await createAdmin(ta, 'hostile-admin');
    const b = new AdminClient(ta);
    const page = await b.get('/admin/sign-in');
    const res = await b.request('POST', '/admin/sign-in', {
      _csrf: csrfOf(page.text),
      username: 'hostile-admin\u0000',
      password: 'x',
    });
    assert.equal(res.status, 400);
    assert.match(res.text, /body\.username/);
    rowsBefore = await rowCounts();
  });

  it('manifest annotations nested 4,000 levels (or 40, under the body limit) → 400 naming the field; nothing stored', async () => {
    const nest = (levels: number) => {
      let v: unknown = true;
      for (let i = 0; i < levels; i += 1) v = { deeper: v };
      return v;
    };
    const deep = await ta.request('POST', manifestsPath('com.hostile/tools'), {
      token,
      body: { version: '1.0.0', tools: [{ ...READ_FILE_TOOL, annotations: nest(4000) }] },
    });
    assert.equal(deep.status, 400, deep.text.slice(0, 300));
    assert.match(deep.json.errors[0].field, /^body\.tools\.0\.annotations\.deeper/);
    const meta = await ta.request('POST', manifestsPath('com.hostile/tools'), {
      token,
      body: { version: '1.0.0', tools: [{ ...READ_FILE_TOOL, _meta: nest(40) }] },
    });
    assertProblem(meta, 400, 'body.tools.0._meta');
    const annotations = await ta.request('POST', manifestsPath('com.hostile/tools'), {
      token,
      body: { version: '1.0.0', tools: [{ ...READ_FILE_TOOL, annotations: nest(40) }] },
    });
    assertProblem(annotations, 400, 'body.tools.0.annotations');
    assertProblem(await ta.request('GET', `${manifestsPath('com.hostile/tools')}/latest`), 404);
    assertProblem(await ta.request('GET', `${manifestsPath('com.hostile/tools')}/1.0.0`), 404);
    // The same server still publishes a sane version afterwards.
    const ok = await ta.request('POST', manifestsPath('com.hostile/tools'), {
      token,
      body: { version: '1.0.0', tools: [{ ...READ_FILE_TOOL, annotations: nest(10) }] },
    });
    assert.equal(ok.status, 201, ok.text.slice(0, 300));
    assert.equal(
      (await ta.request('GET', `${manifestsPath('com.hostile/tools')}/latest`)).status,
      200,
    );
  });

  it('stored nothing for any refused request', async () => {
    // The last test published one good version on purpose: everything else is unchanged (the
    // audit log and its tree grow with the refusals it records and the checkpoints it signs).
    const before = JSON.parse(rowsBefore) as Record<string, number>;
    const now = JSON.parse(await rowCounts()) as Record<string, number>;
    assert.equal(now.manifests, (before.manifests ?? 0) + 1);
    for (const table of Object.keys(before).filter(
      (t) =>
        !['manifests', 'audit_events', 'log_entries', 'log_tree_nodes', 'log_checkpoints'].includes(
          t,
        ),
    )) {
      assert.equal(now[table], before[table], table);
    }
    assert.equal(
      (await ta.request('GET', '/v1/audit/verify', { token: ta.adminToken })).json.ok,
      true,
    );
  });
});
