// GET /openapi.json (the generated contract) and GET /docs (the same, for people).
import { OpenAPIHono } from '@hono/zod-openapi';
import { html, raw } from 'hono/html';
import { ACCESS, defineRoute } from '../access.js';
import type { AppEnv } from '../context.js';
import { z } from '@hono/zod-openapi';

const openapiJson = defineRoute(ACCESS.public, {
  method: 'get',
  path: '/openapi.json',
  tags: ['operations'],
  summary: 'This OpenAPI 3.1 document',
  responses: { 200: { description: 'OpenAPI document', content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } } },
});

const docsPage = defineRoute(ACCESS.public, {
  method: 'get',
  path: '/docs',
  tags: ['operations'],
  summary: 'Human-readable API reference',
  responses: { 200: { description: 'HTML', content: { 'text/html': { schema: z.string() } } } },
});

type Operation = { summary?: string; tags?: string[]; 'x-mcps-access'?: string | string[]; responses?: Record<string, unknown> };

function renderDocs(doc: { info: { title: string; version: string }; paths?: Record<string, Record<string, Operation>> }) {
  const rows = Object.entries(doc.paths ?? {}).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => {
      const access = op['x-mcps-access'];
      const who = access === 'public' || access === undefined ? 'public' : (access as string[]).join(', ');
      return html`<tr><td><code>${method.toUpperCase()}</code></td><td><code>${path}</code></td><td>${op.summary ?? ''}</td><td>${who}</td><td>${Object.keys(op.responses ?? {}).join(' ')}</td></tr>`;
    }),
  );
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${doc.info.title} — API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ccc;padding:.35rem .5rem;text-align:left;vertical-align:top}code{font-size:13px}</style>
</head><body><h1>${doc.info.title} <small>${doc.info.version}</small></h1>
<p>The machine-readable contract is <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Errors are RFC 9457 <code>application/problem+json</code> documents with a stable <code>code</code>; writes take <code>Authorization: Bearer &lt;token&gt;</code>.</p>
<table><thead><tr><th>Method</th><th>Path</th><th>Summary</th><th>Who may call</th><th>Responses</th></tr></thead><tbody>${raw(rows.join(''))}</tbody></table>
</body></html>`;
}

/** `document` builds the OpenAPI document of the whole app (see src/http/openapi.ts). */
export function docsRoutes(document: () => Record<string, unknown>) {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(openapiJson, (c) => c.json(document(), 200));
  app.openapi(docsPage, async (c) => c.html(await renderDocs(document() as Parameters<typeof renderDocs>[0]), 200));
  return app;
}
