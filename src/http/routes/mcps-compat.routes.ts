// MCPS-compatible read API (DESIGN.md §4): status document, passport by id, revocation list.
// Ids are validated by the route contract before any handler runs, so a malformed id is a 400
// that never reaches the database.
import { OpenAPIHono } from '@hono/zod-openapi';
import { findPassportRecord, getPassport } from '../../passports/read.js';
import { revocationList, statusDocument } from '../../passports/status.js';
import { ACCESS, defineRoute } from '../access.js';
import type { AppEnv } from '../context.js';
import type { AppDeps } from '../deps.js';
import { passportDepsOf } from '../passport-deps.js';
import { ERRORS, jsonResponse } from '../schemas.js';
import { cachedRead, jsonRead, serveRead } from '../signed-read.js';
import { validationHook } from '../validation.js';
import {
  McpsPassportIdParam,
  PassportDocumentSchema,
  RevocationListSchema,
  StatusDocumentSchema,
} from './passport-schemas.js';

const tags = ['mcps-compat'];

const verify = defineRoute(ACCESS.public, {
  method: 'get',
  path: '/api/verify/{passport_id}',
  tags,
  summary:
    'Signed status document: VALID | REVOKED | EXPIRED | UNKNOWN (a superseded passport is REVOKED, reason superseded)',
  request: { params: McpsPassportIdParam },
  responses: {
    200: jsonResponse(StatusDocumentSchema, 'Status, signed with a JWKS key'),
    400: ERRORS[400],
    404: jsonResponse(StatusDocumentSchema, 'Unknown passport: status UNKNOWN, signed'),
  },
});
const passport = defineRoute(ACCESS.public, {
  method: 'get',
  path: '/api/passport/{passport_id}',
  tags,
  summary: 'The signed passport document',
  request: { params: McpsPassportIdParam },
  responses: {
    200: jsonResponse(PassportDocumentSchema, 'The passport as issued'),
    400: ERRORS[400],
    404: ERRORS[404],
  },
});
const crl = defineRoute(ACCESS.public, {
  method: 'get',
  path: '/api/crl',
  tags,
  summary: 'Signed list of revoked (and superseded) passports that have not expired',
  responses: { 200: jsonResponse(RevocationListSchema, 'Revocation list, signed with a JWKS key') },
});

export function mcpsCompatRoutes(deps: AppDeps) {
  const d = passportDepsOf(deps);
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  const cache = deps.signedReads;
  app.openapi(verify, async (c) => {
    const id = c.req.valid('param').passport_id;
    const read = await cachedRead(cache, 'status', id, async () => {
      const record = await findPassportRecord(d.persistence, id);
      const doc = statusDocument(d, id, record);
      // A VALID document stops being true when the passport expires: never serve it past that.
      return jsonRead(doc, record ? 200 : 404, {
        nextUpdate: new Date(doc.next_update),
        ...(record ? { freshUntil: record.expiresAt } : {}),
      });
    });
    // Revocation must show within a second: clients revalidate (cache-control no-cache, ETag).
    return serveRead(c, read) as never;
  });

  app.openapi(passport, async (c) => {
    const id = c.req.valid('param').passport_id;
    return c.json((await getPassport(d, id)).document, 200);
  });

  app.openapi(crl, async (c) => {
    const read = await cachedRead(cache, 'passport-crl', 'list', async () => {
      const list = await revocationList(d);
      // An entry whose passport expired may linger up to MAX_AGE_MS: harmless, an expired
      // passport fails verification anyway.
      return jsonRead(list, 200, { nextUpdate: new Date(list.next_update) });
    });
    return serveRead(c, read) as never;
  });

  return app;
}
