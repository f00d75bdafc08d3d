// Where `npm run ta -- registry import FILE|URL` reads an export from: a JSON file holding one
// /v0.1/servers response, or the URL of an official-compatible /v0.1/servers endpoint, whose
// pages are followed through `metadata.nextCursor` (with include_deleted so yanks come along).
import { readFile } from 'node:fs/promises';

const MAX_PAGES = 1000;

/** One export document `{servers, metadata}` from a file path or an http(s) URL. */
export async function readMirrorExport(
  location: string,
  fetchImpl: typeof fetch = fetch,
): Promise<{ servers: unknown[] }> {
  if (!/^https?:\/\//i.test(location))
    return JSON.parse(await readFile(location, 'utf8')) as { servers: unknown[] };
  const servers: unknown[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const u = new URL(location);
    u.searchParams.set('limit', '100');
    u.searchParams.set('include_deleted', 'true');
    if (cursor) u.searchParams.set('cursor', cursor);
    const res = await fetchImpl(u, { headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`GET ${u.href}: HTTP ${res.status}`);
    const body = (await res.json()) as { servers?: unknown[]; metadata?: { nextCursor?: string } };
    if (!Array.isArray(body.servers))
      throw new Error(`GET ${u.href}: not a /v0.1/servers response`);
    servers.push(...body.servers);
    cursor = body.metadata?.nextCursor;
    if (!cursor) return { servers };
  }
  throw new Error(`${location}: more than ${MAX_PAGES} pages`);
}
