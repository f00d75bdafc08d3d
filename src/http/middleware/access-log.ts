// One JSON log line per request. Logs method, route, status and time — never headers or bodies,
// so tokens and key material cannot reach the logs.
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Logger } from 'pino';
import type { AppEnv } from '../context.js';
import type { HttpMetrics } from '../metrics.js';

export function accessLog(logger: Logger, metrics: HttpMetrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const seconds = (performance.now() - started) / 1000;
    const route = routePath(c, -1);
    metrics.observe(c.req.method, route, c.res.status, seconds);
    if (c.res.status >= 400)
      metrics.refused(
        c.res.status,
        (c.get('problemCode' as never) as string | undefined) ?? 'none',
      );
    logger.info(
      {
        req_id: c.get('requestId'),
        method: c.req.method,
        route,
        path: c.req.path,
        status: c.res.status,
        duration_ms: Math.round(seconds * 1000 * 10) / 10,
      },
      'request',
    );
  };
}
