// The admin UI's stylesheet and script, read once at start-up and served by the app itself
// (no build step, no CDN).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Hono } from 'hono';
import type { AdminEnv } from './env.js';

const FILES: Record<string, string> = {
  'admin.css': 'text/css; charset=utf-8',
  'admin.js': 'text/javascript; charset=utf-8',
};

export function assetRoutes(app: Hono<AdminEnv>): void {
  for (const [name, type] of Object.entries(FILES)) {
    const body = readFileSync(new URL(`./assets/${name}`, import.meta.url));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    app.get(`/admin/assets/${name}`, (c) => {
      c.header('cache-control', 'no-cache');
      c.header('etag', etag);
      if (c.req.header('if-none-match') === etag) return c.body(null, 304);
      c.header('content-type', type);
      return c.body(body);
    });
  }
}
