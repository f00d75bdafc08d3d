// Agents (DESIGN.md §4 registry): created by the first passport issuance for their name; read by
// their publisher's tokens and admins.
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { AGENT_ID_PATTERN, getAgent, listAgents, type Agent } from '../../agents/agent.js';
import type { PassportRecord } from '../../passports/passport.js';
import { effectiveState } from '../../passports/passport.js';
import { listAgentPassports } from '../../passports/read.js';
import { ACCESS, defineRoute } from '../access.js';
import type { AppEnv } from '../context.js';
import type { AppDeps } from '../deps.js';
import { decodeCursor, encodeCursor, pageCursor, pageLimit } from '../pagination.js';
import { ERRORS, IsoDateTime, jsonResponse } from '../schemas.js';
import { validationHook } from '../validation.js';

const AgentSchema = z
  .object({ id: z.string(), publisher_id: z.string(), name: z.string(), created_at: IsoDateTime })
  .openapi('Agent');
const PassportSummary = z
  .object({
    passport_id: z.string(),
    status: z.enum(['active', 'superseded', 'revoked', 'expired']),
    trust_level: z.number().int(),
    kid: z.string(),
    issued_at: IsoDateTime,
    expires_at: IsoDateTime,
  })
  .openapi('PassportSummary');
const AgentDetail = AgentSchema.extend({ passports: z.array(PassportSummary) }).openapi(
  'AgentDetail',
);
const AgentList = z
  .object({ items: z.array(AgentSchema), next_cursor: z.string().nullable() })
  .openapi('AgentList');

const list = defineRoute(ACCESS.anyToken, {
  method: 'get',
  path: '/v1/agents',
  tags: ['agents'],
  summary: "Agents of the caller's publisher (admins: all, or filter by publisher_id)",
  request: {
    query: z.object({
      publisher_id: z
        .string()
        .max(64)
        .optional()
        .openapi({ param: { name: 'publisher_id', in: 'query' } }),
      limit: pageLimit(),
      cursor: pageCursor(),
    }),
  },
  responses: {
    200: jsonResponse(AgentList, 'A page of agents'),
    400: ERRORS[400],
    401: ERRORS[401],
    403: ERRORS[403],
  },
});
const get = defineRoute(ACCESS.anyToken, {
  method: 'get',
  path: '/v1/agents/{id}',
  tags: ['agents'],
  summary: 'An agent and its passports (owner or admin)',
  request: {
    params: z.object({
      id: z
        .string()
        .regex(AGENT_ID_PATTERN, 'must be an agent id (agt_ + 32 hex)')
        .openapi({ param: { name: 'id', in: 'path' } }),
    }),
  },
  responses: {
    200: jsonResponse(AgentDetail, 'The agent'),
    400: ERRORS[400],
    401: ERRORS[401],
    404: ERRORS[404],
  },
});

function agentJson(a: Agent) {
  return {
    id: a.id,
    publisher_id: a.publisherId,
    name: a.name,
    created_at: a.createdAt.toISOString(),
  };
}

function summaryJson(r: PassportRecord, now: Date) {
  return {
    passport_id: r.passportId,
    status: effectiveState(r, now),
    trust_level: r.trustLevel,
    kid: r.kid,
    issued_at: r.issuedAt.toISOString(),
    expires_at: r.expiresAt.toISOString(),
  };
}

export function agentRoutes(deps: AppDeps) {
  const p = deps.persistence;
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(list, async (c) => {
    const q = c.req.valid('query');
    const after = q.cursor ? decodeCursor(q.cursor, 'query.cursor') : undefined;
    const items = await listAgents(p, c.get('principal'), {
      publisherId: q.publisher_id,
      after,
      limit: q.limit + 1,
    });
    const page = items.slice(0, q.limit);
    const next = items.length > q.limit ? encodeCursor(page[page.length - 1]!.id) : null;
    return c.json({ items: page.map(agentJson), next_cursor: next }, 200);
  });

  app.openapi(get, async (c) => {
    const agent = await getAgent(p, c.get('principal'), c.req.valid('param').id);
    const passports = await listAgentPassports(p, agent.id);
    const now = p.clock.now();
    return c.json(
      { ...agentJson(agent), passports: passports.map((r) => summaryJson(r, now)) },
      200,
    );
  });

  return app;
}
