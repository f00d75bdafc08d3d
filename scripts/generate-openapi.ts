// `npm run openapi`: writes openapi/openapi.json from the route contracts of a real app on a
// throwaway in-memory database. test/integration/openapi.test.ts fails when the committed file
// differs from what this produces.
import { mkdirSync, writeFileSync } from 'node:fs';
import { renderOpenApiDocument } from './openapi-document.js';

const out = new URL('../openapi/openapi.json', import.meta.url);
mkdirSync(new URL('../openapi/', import.meta.url), { recursive: true });
writeFileSync(out, await renderOpenApiDocument());
console.log(`wrote ${out.pathname}`);
