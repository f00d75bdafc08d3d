// Issue 11, acceptance 2: every route of the OpenAPI document that creates or changes a signed
// artifact naming a host (x-mcps-signs, declared in defineRoute) refuses an origin the TA holds
// no proof for — generated from the route table, like the authorization matrix, so a new signing
// route without a hostile scenario fails here. Afterwards nothing the TA signed names a hostile host.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { z } from '@hono/zod-openapi';
import { ACCESS, defineRoute } from '../../src/http/access.js';
import { buildOpenApiDocument } from '../../src/http/openapi.js';
import {
  compareWithSigningRoutes,
  HOSTILE_HOSTS,
  HOSTILE_ORIGINS,
  HOSTILE_SCENARIOS,
  originFixture,
  PROVEN_ORIGIN,
  signingOperations,
  type OriginFixture,
} from '../support/origin-proof-scenarios.js';
import { startTestService } from '../support/service.js';

type OpenApiDoc = { paths: Record<string, Record<string, { 'x-mcps-signs'?: string[] }>> };

describe('proof before signature, route by route', () => {
  let f: OriginFixture;
  let doc: OpenApiDoc;
  before(async () => {
    f = await originFixture();
    doc = buildOpenApiDocument(f.ta.app) as unknown as OpenApiDoc;
  });
  after(async () => f.stop());

  it('every write route declares what it signs, and every signing route has hostile scenarios (none stale)', () => {
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const [m, op] of Object.entries(ops))
        assert.ok(
          Array.isArray(op['x-mcps-signs']),
          `${m.toUpperCase()} ${p} declares no x-mcps-signs`,
        );
    }
    assert.ok(signingOperations(doc).length >= 10, 'the signing routes are found in the document');
    assert.deepEqual(compareWithSigningRoutes(doc, HOSTILE_SCENARIOS), { missing: [], stale: [] });
  });

  it('each signing route refuses every hostile origin with a problem naming the reason', async () => {
    const failures: string[] = [];
    for (const [op, scenarios] of Object.entries(HOSTILE_SCENARIOS)) {
      for (const s of scenarios) {
        for (const origin of HOSTILE_ORIGINS) {
          const res = await s.run(f, origin);
          const fields = ((res.json?.errors ?? []) as Array<{ field: string }>).map((e) => e.field);
          const problem = /^application\/problem\+json/.test(res.headers.get('content-type') ?? '');
          if (
            res.status !== s.expect.status ||
            !problem ||
            (s.expect.field && !fields.includes(s.expect.field))
          ) {
            failures.push(
              `${op}: ${s.attempt} (${origin}): expected ${s.expect.status} naming ${s.expect.field ?? '-'}, got ${res.status} ${res.text.slice(0, 160)}`,
            );
          }
          // A refusal that names a field says why (the origin or its proof), not just "no".
          if (
            s.expect.status !== 403 &&
            !String(res.json?.detail ?? '').includes(new URL(origin).hostname)
          ) {
            failures.push(
              `${op}: ${s.attempt} (${origin}): the problem does not name the host: ${res.json?.detail}`,
            );
          }
        }
      }
    }
    assert.deepEqual(failures, []);
  });

  it('nothing the TA signed names a hostile host or origin: certificates, passports, manifests', async () => {
    const certs = await f.ta.db.sql('select serial, sans from certificates');
    for (const c of certs) {
      const sans = c.sans as string[];
      assert.ok(
        !sans.some((san) => HOSTILE_HOSTS.some((h) => san.endsWith(`:${h}`))),
        `certificate ${c.serial} names ${sans}`,
      );
    }
    const passports = await f.ta.db.sql(
      "select passport_id, document->>'origin' as origin from passports",
    );
    for (const p of passports)
      assert.ok(
        !(HOSTILE_ORIGINS as readonly string[]).includes(p.origin as string),
        `passport ${p.passport_id} carries ${p.origin}`,
      );
    const manifests = await f.ta.db.sql('select digest, server_name, payload from manifests');
    for (const m of manifests) {
      const origin = JSON.parse(String(m.payload)).origin as string;
      if (m.server_name === f.server) assert.equal(origin, PROVEN_ORIGIN, `manifest ${m.digest}`);
      else assert.equal(origin, 'https://api.alpha.com', 'only A signs for its own host');
      const remotes = (JSON.parse(String(m.payload)).server_json?.remotes ?? []) as Array<{
        url: string;
      }>;
      for (const r of remotes)
        assert.ok(
          !HOSTILE_HOSTS.includes(new URL(r.url).hostname),
          `manifest ${m.digest} names remote ${r.url}`,
        );
    }
    // B's server is back on its proven origin, so its signing still works: the refusals above were the proof's.
    const again = await f.ta.request('POST', `/v1/servers/${f.server}/manifests`, {
      token: f.B.token,
      body: {
        version: '1.0.1',
        tools: [{ name: 'x', description: 'x', inputSchema: { type: 'object' } }],
      },
    });
    assert.equal(again.status, 201, again.text);
    assert.equal(again.json.manifest.origin, PROVEN_ORIGIN);
  });

  it('test of the test: a route that signs but has no scenario, or a scenario for a route that signs nothing, is reported', async () => {
    const extra = await startTestService();
    try {
      extra.app.openapi(
        defineRoute(ACCESS.publisher, {
          method: 'post',
          path: '/v1/unproven-signer',
          signs: ['certificate'],
          responses: {
            200: { description: 'x', content: { 'application/json': { schema: z.object({}) } } },
          },
        }),
        (c) => c.json({}, 200),
      );
      const report = compareWithSigningRoutes(
        buildOpenApiDocument(extra.app) as unknown as OpenApiDoc,
        {
          ...HOSTILE_SCENARIOS,
          'POST /v1/passports/{id}/revoke': HOSTILE_SCENARIOS['POST /v1/passports']!,
        },
      );
      assert.deepEqual(report, {
        missing: ['POST /v1/unproven-signer'],
        stale: ['POST /v1/passports/{id}/revoke'],
      });
      // And a write route cannot leave `signs` out (the type requires it; this is the run-time guard).
      assert.throws(
        () =>
          defineRoute(ACCESS.publisher, {
            method: 'post',
            path: '/v1/silent',
            responses: {},
          } as unknown as Parameters<typeof defineRoute>[1]),
        /declare what it signs/,
      );
    } finally {
      await extra.stop();
    }
  });
});
