// The OpenAPI document, generated from the route contracts. Deterministic: nothing in it depends
// on configuration, so the committed openapi/openapi.json can be compared with it in a test.
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './context.js';

export const API_TITLE = 'MCPS Trust Authority';
export const API_VERSION = '0.1.0';

/**
 * A path parameter with a Hono pattern (`{index{.+}}`, one that may span slashes) as OpenAPI
 * writes a parameter: `{index}`.
 */
export function openApiPath(path: string): string {
  return path.replace(/\{(\w+)\{[^{}]*\}\}/g, '{$1}');
}

export function buildOpenApiDocument(app: OpenAPIHono<AppEnv>): Record<string, unknown> {
  const document = app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: API_TITLE,
      version: API_VERSION,
      description:
        'Trust Authority and registry for MCP agents and servers (MCPS). Every operation carries `x-mcps-access`: `public` or the token roles that may call it.',
    },
  }) as unknown as Record<string, unknown>;
  const paths = document.paths as Record<string, unknown>;
  document.paths = Object.fromEntries(Object.entries(paths).map(([k, v]) => [openApiPath(k), v]));
  return document;
}
