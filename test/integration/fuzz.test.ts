// Issue 8: property-based fuzzing of every write endpoint (and every path parameter) with
// malformed and hostile input: never a 5xx, never a crash. FUZZ_RUNS sets the inputs per
// operation (default 40; the long mode, FUZZ_RUNS=800, sends more than 10,000 in all).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { buildOpenApiDocument } from '../../src/http/openapi.js';
import { hostileString, nearValidBody, rawHostileBody, hostileValue } from '../support/hostile.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';

type Schema = { $ref?: string; properties?: Record<string, unknown>; allOf?: Schema[] };
type Operation = { requestBody?: { content?: Record<string, { schema?: Schema }> } };
type Doc = {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
};

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);

function propertyNames(doc: Doc, schema: Schema | undefined): string[] {
  if (!schema) return [];
  if (schema.$ref)
    return propertyNames(doc, doc.components?.schemas?.[schema.$ref.split('/').pop()!]);
  return [
    ...Object.keys(schema.properties ?? {}),
    ...(schema.allOf ?? []).flatMap((s) => propertyNames(doc, s)),
  ];
}

/** Percent-encodes like a client would; lone surrogates go as their UTF-8 replacement bytes. */
function encodeLoose(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return [...Buffer.from(value, 'utf8')]
      .map((b) => `%${b.toString(16).padStart(2, '0')}`)
      .join('');
  }
}

/** Broken percent-encodings that only a hostile client sends: inserted as they are. */
const RAW_ESCAPES = ['%', '%zz', '%ED%A0%80', '%C0%AE%C0%AE', '%00', '%FF%FE'];

function fillPath(template: string, value: string): string {
  const raw = RAW_ESCAPES.includes(value);
  return template.replace(/\{[^}]+\}/g, () => (raw ? value : encodeLoose(value)));
}

describe('fuzzing every write endpoint', () => {
  let ta: TestService;
  let publisherToken: string;
  let doc: Doc;
  let sent = 0;
  let serverErrors: string[] = [];
  before(async () => {
    ta = await startTestService();
    ({ token: publisherToken } = await createPublisherWithToken(ta, 'Fuzz Target'));
    doc = buildOpenApiDocument(ta.app) as unknown as Doc;
  });
  after(async () => {
    console.log(`fuzz: ${sent} requests, ${serverErrors.length} server errors`);
    await ta.stop();
  });

  async function send(method: string, path: string, body: string | undefined, token: string) {
    sent += 1;
    const res = await ta.request(method, path, {
      token,
      body,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
    });
    if (res.status >= 500)
      serverErrors.push(
        `${method} ${path} ${String(body).slice(0, 80)} → ${res.status} ${res.text.slice(0, 200)}`,
      );
    // The one documented exception: an unknown (well-formed) passport id gets a signed UNKNOWN status document.
    const unknownStatus =
      res.status === 404 && path.startsWith('/api/verify/') && res.json?.status === 'UNKNOWN';
    if (res.status >= 400 && !unknownStatus)
      assert.match(
        res.headers.get('content-type') ?? '',
        /application\/problem\+json/,
        `${method} ${path}`,
      );
    return res;
  }

  it('hostile bodies and path parameters never produce a 5xx', async () => {
    const writes = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.entries(ops)
        .filter(([m]) => ['post', 'put', 'patch', 'delete'].includes(m))
        .map(([m, op]) => ({
          method: m.toUpperCase(),
          path: p,
          names: propertyNames(doc, op.requestBody?.content?.['application/json']?.schema),
        })),
    );
    assert.ok(writes.length >= 5);
    for (const w of writes) {
      const body = fc.oneof(
        nearValidBody(w.names),
        rawHostileBody,
        hostileValue.map((v) => JSON.stringify(v) ?? 'null'),
      );
      await fc.assert(
        fc.asyncProperty(
          body,
          fc.oneof(fc.constant(null), hostileString, fc.constantFrom(...RAW_ESCAPES)),
          fc.boolean(),
          async (b, param, asAdmin) => {
            const path = param === null ? fillPath(w.path, 'x') : fillPath(w.path, param);
            const res = await send(w.method, path, b, asAdmin ? ta.adminToken : publisherToken);
            return res.status < 500;
          },
        ),
        { numRuns: RUNS },
      );
    }
    assert.deepEqual(serverErrors, []);
  });

  it('hostile path parameters and queries on reads never produce a 5xx', async () => {
    const reads = Object.keys(doc.paths).filter((p) => doc.paths[p]!.get);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...reads),
        fc.oneof(hostileString, fc.constantFrom(...RAW_ESCAPES)),
        hostileString,
        async (p, param, q) => {
          const res = await send(
            'GET',
            `${fillPath(p, param)}?limit=${encodeLoose(q)}&after=${encodeLoose(q)}&cursor=${encodeLoose(q)}&search=${encodeLoose(q)}`,
            undefined,
            ta.adminToken,
          );
          return res.status < 500;
        },
      ),
      { numRuns: RUNS * 5 },
    );
    assert.deepEqual(serverErrors, []);
  });

  it('the service is still healthy and its audit chain intact afterwards', async () => {
    assert.equal((await ta.request('GET', '/readyz')).status, 200);
    assert.equal(
      (await ta.request('GET', '/v1/audit/verify', { token: ta.adminToken })).json.ok,
      true,
    );
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
