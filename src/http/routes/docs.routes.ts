// GET /openapi.json (the generated contract) and GET /docs (the same, for people: every
// operation with its schemas and examples, rendered on the server; strict CSP, no script, the
// stylesheet served from here).
import { OpenAPIHono } from '@hono/zod-openapi';
import { renderDocsPage, type OpenApiDocument } from '../docs/render-page.js';
import { DOCS_CSS } from '../docs/stylesheet.js';
import { ACCESS, defineRoute } from '../access.js';
import type { AppEnv } from '../context.js';
import { z } from '@hono/zod-openapi';

const openapiJson = defineRoute(ACCESS.public, {
  method: 'get',
  path: '/openapi.json',
  tags: ['operations'],
  summary: 'This OpenAPI 3.1 document',
  responses: {
    200: {
      description: 'OpenAPI document',
      content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } },
    },
  },
});

const docsPage = defineRoute(ACCESS.public, {
  method: 'get',
  path: '/docs',
  tags: ['operations'],
  summary:
    'Human-readable API reference: every operation with request and response schemas and examples',
  responses: { 200: { description: 'HTML', content: { 'text/html': { schema: z.string() } } } },
});

const docsCss = defineRoute(ACCESS.public, {
  method: 'get',
  path: '/docs/docs.css',
  tags: ['operations'],
  summary: 'Stylesheet of the /docs page',
  responses: { 200: { description: 'CSS', content: { 'text/css': { schema: z.string() } } } },
});

const STYLESHEET = '/docs/docs.css';
/** No script at all; styles and images from this origin only. */
export const DOCS_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** `document` builds the OpenAPI document of the whole app (see src/http/openapi.ts). */
export function docsRoutes(document: () => Record<string, unknown>) {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(openapiJson, (c) => c.json(document(), 200));
  let page: string | undefined; // the document does not change while the app runs
  app.openapi(docsPage, (c) => {
    page ??= renderDocsPage(document() as unknown as OpenApiDocument, STYLESHEET);
    c.header('content-security-policy', DOCS_CSP);
    return c.html(page, 200);
  });
  app.openapi(docsCss, (c) =>
    c.body(DOCS_CSS, 200, {
      'content-type': 'text/css; charset=utf-8',
      'cache-control': 'public, max-age=3600',
    }),
  );
  return app;
}
