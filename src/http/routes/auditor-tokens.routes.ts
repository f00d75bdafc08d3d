// TA-wide auditor tokens (admin only): read every publisher's audit events. A publisher's auditor
// token (POST /v1/publishers/{id}/tokens) stays scoped to that publisher.
import { OpenAPIHono, z } from '@hono/zod-openapi';
import {
  createTaAuditorToken,
  listTaAuditorTokens,
  revokeTaAuditorToken,
} from '../../auth/ta-auditor-token.js';
import { ACCESS, defineRoute } from '../access.js';
import type { AppEnv } from '../context.js';
import type { AppDeps } from '../deps.js';
import { ERRORS, jsonBody, jsonResponse } from '../schemas.js';
import { validationHook } from '../validation.js';
import { CreatedToken, TOKEN_REVOKED, TokenId, tokenJson, TokenView } from './publishers.routes.js';

const tags = ['tokens'];

const CreateTaAuditorToken = z
  .object({
    label: z.string().min(1).max(128).optional(),
    expires_at: z.iso.datetime({ offset: false }).optional().openapi({ format: 'date-time' }),
  })
  .openapi('CreateTaAuditorToken');

const create = defineRoute(ACCESS.admin, {
  method: 'post',
  path: '/v1/auditor-tokens',
  signs: [],
  tags,
  summary:
    "Create a TA-wide auditor token: reads every publisher's audit events (the secret is shown once)",
  description:
    "Only admins create these, explicitly. The token has role `auditor` and no publisher: `GET /v1/audit` shows it every event; it reads nothing else of any publisher. A publisher's auditor token (`POST /v1/publishers/{id}/tokens`) sees that publisher's events only.",
  request: jsonBody(CreateTaAuditorToken),
  responses: {
    201: jsonResponse(CreatedToken, 'Created'),
    400: ERRORS[400],
    401: ERRORS[401],
    403: ERRORS[403],
  },
});
const list = defineRoute(ACCESS.admin, {
  method: 'get',
  path: '/v1/auditor-tokens',
  tags,
  summary: 'List the TA-wide auditor tokens (never their secrets)',
  responses: {
    200: jsonResponse(
      z.object({ items: z.array(TokenView) }).openapi('TaAuditorTokenList'),
      'Tokens',
    ),
    401: ERRORS[401],
    403: ERRORS[403],
  },
});
const revoke = defineRoute(ACCESS.admin, {
  method: 'post',
  path: '/v1/auditor-tokens/{token_id}/revoke',
  signs: [],
  tags,
  summary: 'Revoke a TA-wide auditor token',
  request: {
    params: z.object({ token_id: TokenId.openapi({ param: { name: 'token_id', in: 'path' } }) }),
  },
  responses: TOKEN_REVOKED,
});

export function auditorTokenRoutes(deps: AppDeps) {
  const p = deps.persistence;
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(create, async (c) => {
    const body = c.req.valid('json');
    const created = await createTaAuditorToken(p, c.get('principal'), {
      label: body.label ?? null,
      expiresAt: body.expires_at ? new Date(body.expires_at) : null,
    });
    c.header('cache-control', 'no-store');
    return c.json({ ...tokenJson(created.view), token: created.token }, 201);
  });
  app.openapi(list, async (c) =>
    c.json({ items: (await listTaAuditorTokens(p, c.get('principal'))).map(tokenJson) }, 200),
  );
  app.openapi(revoke, async (c) =>
    c.json(
      tokenJson(await revokeTaAuditorToken(p, c.get('principal'), c.req.valid('param').token_id)),
      200,
    ),
  );
  return app;
}
