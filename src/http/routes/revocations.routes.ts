// GET /v1/revocations?since= — the signed feed of every revocation of every kind (src/revocation/feed.ts),
// with a weak ETag per page so pollers and CDNs revalidate with If-None-Match and get a 304.
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { REVOCATION_KINDS } from '../../revocation/revocation.js';
import {
  FEED_DEFAULT_LIMIT,
  FEED_MAX_LIMIT,
  FEED_NEXT_UPDATE_SECONDS,
  matchesEtag,
  readFeedPage,
  signFeedPage,
} from '../../revocation/feed.js';
import { ACCESS, defineRoute } from '../access.js';
import type { AppEnv } from '../context.js';
import type { AppDeps } from '../deps.js';
import { ERRORS, IsoDateTime, jsonResponse } from '../schemas.js';
import { jsonRead, serveRead } from '../signed-read.js';
import { validationHook } from '../validation.js';

const Entry = z.object({
  seq: z.number().int(),
  kind: z.enum(REVOCATION_KINDS as [string, ...string[]]),
  subject: z.string().openapi({
    description: 'passport id, certificate serial (hex), authority key kid, or manifest digest',
  }),
  reason: z.string(),
  revoked_at: IsoDateTime,
  data: z.record(z.string(), z.unknown()),
});

const Feed = z
  .object({
    type: z.literal('mcps-revocation-feed'),
    issuer: z.string(),
    since: z.number().int(),
    next_since: z.number().int().openapi({
      description: 'Pass as `since` next: the last entry’s seq, or `since` when empty',
    }),
    has_more: z
      .boolean()
      .openapi({ description: 'More entries follow: fetch `next_since` at once' }),
    issued_at: IsoDateTime,
    next_update: IsoDateTime.openapi({
      description: 'Poll again by then; a final page (has_more false) past it is stale',
    }),
    revocations: z.array(Entry),
    issuer_kid: z
      .string()
      .openapi({ description: 'RFC 7638 thumbprint of the JWKS key that signed' }),
    signature: z.string().openapi({
      description:
        'Standard base64 of the low-S P1363 ES256 signature over JCS of the document without `signature`',
    }),
  })
  .openapi('RevocationFeed');

const feed = defineRoute(ACCESS.public, {
  method: 'get',
  path: '/v1/revocations',
  tags: ['trust'],
  summary:
    'Signed feed of every revocation (passports, certificates, manifest yanks, authority keys), oldest first',
  description:
    'Poll with `since` = the `next_since` of the last page you read, following `has_more`. Each entry has a monotonic `seq`; entries never change and commit in seq order, so nothing is missed. Send `If-None-Match` with the page’s ETag to get a 304 when nothing changed.',
  request: {
    query: z.object({
      since: z.coerce
        .number()
        .int()
        .min(0)
        .max(Number.MAX_SAFE_INTEGER)
        .default(0)
        .openapi({ param: { name: 'since', in: 'query' } }),
      limit: z.coerce
        .number()
        .int()
        .min(1)
        .max(FEED_MAX_LIMIT)
        .default(FEED_DEFAULT_LIMIT)
        .openapi({ param: { name: 'limit', in: 'query' } }),
    }),
  },
  responses: {
    200: jsonResponse(Feed, 'A page of the feed, signed with a JWKS key'),
    304: { description: 'Not modified: the page named by If-None-Match is current' },
    400: ERRORS[400],
  },
});

/** A final page changes as soon as a revocation lands: short cache. A full page is history. */
const CACHE_FINAL = `public, max-age=${Math.floor(FEED_NEXT_UPDATE_SECONDS / 2)}`;
const CACHE_FULL = 'public, max-age=3600';

export function revocationRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(feed, async (c) => {
    const { since, limit } = c.req.valid('query');
    const cache = deps.signedReads;
    const key = `${since}:${limit}`;
    let read = cache?.get('feed', key);
    if (!read) {
      const generation = cache?.generation('feed') ?? 0;
      const signer = deps.keyring.documentSigner;
      const issuer = deps.config.taName;
      const page = await readFeedPage(deps.persistence, {
        since,
        limit,
        issuer,
        signerKid: signer.kid,
      });
      const cacheControl = page.hasMore ? CACHE_FULL : CACHE_FINAL;
      if (!cache && matchesEtag(c.req.header('if-none-match'), page.etag))
        return c.body(null, 304, { etag: page.etag, 'cache-control': cacheControl });
      const doc = signFeedPage(page, { issuer, signer, now: deps.persistence.clock.now() });
      read = {
        ...jsonRead(doc, 200, { nextUpdate: new Date(doc.next_update) }),
        etag: page.etag,
        cacheControl,
      };
      cache?.set('feed', key, generation, read);
    }
    return serveRead(c, read) as never;
  });
  return app;
}
