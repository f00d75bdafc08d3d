// The committed OpenAPI document is what the code generates (regenerate: npm run openapi), and
// every operation declares who may call it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { renderOpenApiDocument } from '../../scripts/openapi-document.js';

describe('OpenAPI document', () => {
  it('openapi/openapi.json matches the route contracts (run `npm run openapi` after changing routes)', async () => {
    const committed = readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8');
    const generated = await renderOpenApiDocument();
    assert.equal(committed, generated);
  });

  it('every operation carries x-mcps-access', async () => {
    const doc = JSON.parse(await renderOpenApiDocument()) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    const missing: string[] = [];
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const [m, op] of Object.entries(ops))
        if (!('x-mcps-access' in op)) missing.push(`${m.toUpperCase()} ${p}`);
    }
    assert.deepEqual(missing, []);
    assert.ok(Object.keys(doc.paths).length >= 10);
  });
});
