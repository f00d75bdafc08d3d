// Issue 8: every route × {anonymous, publisher A, publisher B, auditor, admin} gets the expected
// status. Routes come from the generated OpenAPI document, so a route without a rule fails here.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { z } from '@hono/zod-openapi';
import { defineRoute, ACCESS } from '../../src/http/access.js';
import { buildOpenApiDocument } from '../../src/http/openapi.js';
import {
  CALLERS,
  compareWithRoutes,
  RULES,
  type Caller,
  type Fixture,
} from '../support/authorization-rules.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';

type OpenApiDoc = {
  paths: Record<string, Record<string, { 'x-mcps-access'?: string | string[] }>>;
};

describe('authorization matrix', () => {
  let ta: TestService;
  let fixture: Fixture;
  let doc: OpenApiDoc;
  before(async () => {
    ta = await startTestService();
    const A = await createPublisherWithToken(ta, 'Matrix A');
    const B = await createPublisherWithToken(ta, 'Matrix B');
    const aud = await ta.request('POST', `/v1/publishers/${A.publisherId}/tokens`, {
      token: ta.adminToken,
      body: { role: 'auditor' },
    });
    fixture = {
      ta,
      A,
      B,
      auditor: { publisherId: A.publisherId, token: aud.json.token, tokenId: aud.json.id },
      freshTokenOfA: async () => {
        const t = await ta.request('POST', `/v1/publishers/${A.publisherId}/tokens`, {
          token: ta.adminToken,
          body: { role: 'publisher' },
        });
        return { publisherId: A.publisherId, token: t.json.token, tokenId: t.json.id };
      },
      pendingKid: async () =>
        (
          await ta.request('POST', '/v1/authority/keys', {
            token: ta.adminToken,
            body: { purpose: 'passport-signing' },
          })
        ).json.kid,
    };
    doc = buildOpenApiDocument(ta.app) as unknown as OpenApiDoc;
  });
  after(async () => ta.stop());

  const tokenOf = (who: Caller): string | undefined =>
    ({
      anonymous: undefined,
      publisherA: fixture.A.token,
      publisherB: fixture.B.token,
      auditor: fixture.auditor.token,
      admin: ta.adminToken,
    })[who];

  it('every route has a rule, and every rule a route', () => {
    assert.deepEqual(compareWithRoutes(doc, RULES), { missing: [], stale: [] });
  });

  it('the rules agree with each route’s declared x-mcps-access', () => {
    const roleOf: Record<Caller, string | undefined> = {
      anonymous: undefined,
      publisherA: 'publisher',
      publisherB: 'publisher',
      auditor: 'auditor',
      admin: 'admin',
    };
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        const rule = RULES[`${m.toUpperCase()} ${p}`]!;
        const access = op['x-mcps-access'];
        for (const who of CALLERS) {
          const status = rule.expect[who];
          if (access === 'public')
            assert.ok(
              status !== 401 && status !== 403,
              `${m} ${p} is public but ${who} expects ${status}`,
            );
          else if (who === 'anonymous') assert.equal(status, 401, `${m} ${p}: anonymous`);
          else if (!access!.includes(roleOf[who]!))
            assert.equal(status, 403, `${m} ${p}: ${who} lacks the role`);
        }
      }
    }
  });

  it('each caller gets the expected status on each route', async () => {
    const failures: string[] = [];
    for (const [op, rule] of Object.entries(RULES)) {
      const [method, template] = op.split(' ') as [string, string];
      for (const who of CALLERS) {
        const { path, body } = await rule.request(fixture, who);
        const res = await ta.request(method, path, { token: tokenOf(who), body });
        if (res.status !== rule.expect[who])
          failures.push(
            `${op} as ${who}: expected ${rule.expect[who]}, got ${res.status} ${res.text.slice(0, 120)}`,
          );
        assert.ok(
          path.split('?')[0]!.split('/').length === template.split('/').length,
          `${op}: request path shape`,
        );
      }
    }
    assert.deepEqual(failures, []);
  });

  it('test of the test: a route added without a rule is reported', async () => {
    const extra = await startTestService();
    try {
      extra.app.openapi(
        defineRoute(ACCESS.admin, {
          method: 'get',
          path: '/v1/unruled',
          responses: {
            200: { description: 'x', content: { 'application/json': { schema: z.object({}) } } },
          },
        }),
        (c) => c.json({}, 200),
      );
      const report = compareWithRoutes(
        buildOpenApiDocument(extra.app) as unknown as OpenApiDoc,
        RULES,
      );
      assert.deepEqual(report.missing, ['GET /v1/unruled']);
    } finally {
      await extra.stop();
    }
  });
});
