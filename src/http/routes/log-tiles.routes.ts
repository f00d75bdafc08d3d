// The transparency log as a C2SP tlog-tiles log under the prefix /v1/log/tiles: the checkpoint
// as a signed note, Merkle tree tiles (public, immutable, so any HTTP cache can serve them) and
// entry bundles (the leaves, for callers who may read every event in them).
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { InvalidRequestError, NotFoundError } from '../../errors.js';
import { readLogCheckpoint, readLogEntryBundle, readLogTile } from '../../log/read.js';
import { MAX_TILE_LEVEL, parseTileIndex } from '../../log/tiles.js';
import { ACCESS, defineRoute } from '../access.js';
import type { AppEnv } from '../context.js';
import type { AppDeps } from '../deps.js';
import { ERRORS } from '../schemas.js';
import { validationHook } from '../validation.js';

export const TILES_PREFIX = '/v1/log/tiles';
const OCTETS = 'application/octet-stream';
const IMMUTABLE = 'max-age=31536000, immutable';

const indexParam = z.string().openapi({
  param: { name: 'index', in: 'path' },
  description:
    'The tile index N as zero-padded 3-digit path elements, all but the last prefixed by x (1234067 → x001/x234/067), ' +
    'then `.p/W` for a partial tile of W (1–255) hashes',
  example: '000.p/17',
});
const binary = (description: string) => ({
  description,
  content: { [OCTETS]: { schema: z.string().openapi({ format: 'binary' }) } },
});

const checkpoint = defineRoute(ACCESS.public, {
  method: 'get',
  path: `${TILES_PREFIX}/checkpoint`,
  tags: ['log'],
  summary: 'The latest checkpoint as a C2SP tlog-checkpoint signed note',
  description:
    'Origin line, tree size, base64 root hash, then an Ed25519 signature line by the log key listed in the trust anchors ' +
    '(`log_keys[].note_key`). The same tree head as GET /v1/log/checkpoint.',
  responses: {
    200: { description: 'The signed note', content: { 'text/plain': { schema: z.string() } } },
    404: ERRORS[404],
  },
});

const entryBundle = defineRoute(ACCESS.auditor, {
  method: 'get',
  path: `${TILES_PREFIX}/tile/entries/{index{.+}}`,
  tags: ['log'],
  summary:
    'An entry bundle: the leaves of a level-0 tile, each as a big-endian uint16 length and the leaf',
  description:
    'The leaves are the audit events themselves (JCS), so a bundle is served only to a caller who may read every event in it ' +
    '(admins and TA-wide auditors; 403 otherwise). Every leaf hash is public in the level-0 tile, and public events are also ' +
    'readable one by one from GET /v1/log/entries.',
  request: { params: z.object({ index: indexParam }) },
  responses: {
    200: binary('The bundle (immutable)'),
    400: ERRORS[400],
    401: ERRORS[401],
    403: ERRORS[403],
    404: ERRORS[404],
  },
});

const tile = defineRoute(ACCESS.public, {
  method: 'get',
  path: `${TILES_PREFIX}/tile/{level}/{index{.+}}`,
  tags: ['log'],
  summary: 'A Merkle tree tile: 256 hashes (or W for a partial tile) at tree height 8 × level',
  description:
    'Level 0 holds leaf hashes; at level L ≥ 1 each hash is the RFC 9162 root of a complete subtree of 256^L leaves. ' +
    'Concatenated 32-byte SHA-256 hashes. A tile (full or of a given partial width) never changes, so it is served immutable; ' +
    'one the tree does not yet hold is 404.',
  request: {
    params: z.object({
      level: z
        .string()
        .openapi({ param: { name: 'level', in: 'path' }, description: '0–63', example: '0' }),
      index: indexParam,
    }),
  },
  responses: { 200: binary('The tile (immutable)'), 400: ERRORS[400], 404: ERRORS[404] },
});

function tileIndexOf(text: string): { index: number; width: number } {
  const parsed = parseTileIndex(text);
  if (typeof parsed === 'string') throw InvalidRequestError.field('path.index', parsed);
  return parsed;
}

function tileLevelOf(text: string): number {
  if (!/^(0|[1-9]\d?)$/.test(text) || Number(text) > MAX_TILE_LEVEL)
    throw InvalidRequestError.field('path.level', `must be 0–${MAX_TILE_LEVEL}, no leading zeros`);
  return Number(text);
}

function octets(c: Context, body: Buffer, cacheControl: string): Response {
  return c.body(new Uint8Array(body), 200, {
    'content-type': OCTETS,
    'cache-control': cacheControl,
  });
}

export function logTilesRoutes(deps: AppDeps) {
  const p = deps.persistence;
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(checkpoint, async (c) => {
    const cp = await readLogCheckpoint(p);
    if (!cp.note) throw new NotFoundError('the log signs no notes: it has no log key');
    return c.text(cp.note, 200, { 'cache-control': 'no-cache' });
  });

  // Before the tile route, whose {level} would otherwise take "entries".
  app.openapi(entryBundle, async (c) => {
    const t = tileIndexOf(c.req.valid('param').index);
    const bundle = await readLogEntryBundle(p, c.get('principal'), t);
    return octets(c, bundle, `private, ${IMMUTABLE}`);
  });

  app.openapi(tile, async (c) => {
    const { level, index } = c.req.valid('param');
    const t = { level: tileLevelOf(level), ...tileIndexOf(index) };
    return octets(c, await readLogTile(p, t), `public, ${IMMUTABLE}`);
  });

  return app;
}
