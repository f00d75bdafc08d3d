// Operations: liveness, readiness (database reachable), Prometheus metrics.
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { ACCESS, defineRoute } from '../access.js';
import type { AppEnv } from '../context.js';
import type { AppDeps } from '../deps.js';
import type { HttpMetrics } from '../metrics.js';
import { createOpsMetrics } from '../ops-metrics.js';
import { jsonResponse } from '../schemas.js';
import { validationHook } from '../validation.js';

const Health = z.object({ status: z.enum(['ok', 'unavailable']) }).openapi('Health');
const Ready = Health.extend({ database: z.string(), detail: z.string().optional() }).openapi(
  'Readiness',
);

const healthz = defineRoute(ACCESS.public, {
  method: 'get',
  path: '/healthz',
  tags: ['operations'],
  summary: 'Liveness: the process serves requests',
  responses: { 200: jsonResponse(Health, 'Alive') },
});

const readyz = defineRoute(ACCESS.public, {
  method: 'get',
  path: '/readyz',
  tags: ['operations'],
  summary: 'Readiness: the database answers',
  responses: {
    200: jsonResponse(Ready, 'Ready'),
    503: jsonResponse(Ready, 'Database unreachable'),
  },
});

const metricsRoute = defineRoute(ACCESS.public, {
  method: 'get',
  path: '/metrics',
  tags: ['operations'],
  summary: 'Prometheus metrics (text exposition format)',
  responses: { 200: { description: 'Metrics', content: { 'text/plain': { schema: z.string() } } } },
});

export function opsRoutes(deps: AppDeps, metrics: HttpMetrics) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(healthz, (c) => c.json({ status: 'ok' as const }, 200));
  app.openapi(readyz, async (c) => {
    try {
      await deps.pingDatabase();
      return c.json({ status: 'ok' as const, database: deps.databaseKind }, 200);
    } catch {
      return c.json(
        {
          status: 'unavailable' as const,
          database: deps.databaseKind,
          detail: 'database unreachable',
        },
        503,
      );
    }
  });
  const ops = deps.operationalStats
    ? createOpsMetrics(metrics.registry, deps.operationalStats, deps.persistence.clock)
    : undefined;
  app.openapi(metricsRoute, async (c) => {
    await ops?.refresh();
    const body = await metrics.registry.metrics();
    return c.text(body, 200, { 'content-type': metrics.registry.contentType });
  });
  return app;
}
