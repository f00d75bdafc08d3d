// createApp(deps): middleware order, error mapping and route mounting. Nothing here opens
// databases or reads the environment; src/service.ts wires real things.
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import type { AppEnv } from './http/context.js';
import type { AppDeps } from './http/deps.js';
import { errorHandler } from './http/error-handler.js';
import { createMetrics } from './http/metrics.js';
import { accessLog } from './http/middleware/access-log.js';
import { authenticate } from './http/middleware/authenticate.js';
import { buildOpenApiDocument } from './http/openapi.js';
import { problemResponse } from './http/problem.js';
import { auditRoutes } from './http/routes/audit.routes.js';
import { certificateRoutes } from './http/routes/certificates.routes.js';
import { crlRoutes } from './http/routes/crl.routes.js';
import { discoveryRoutes } from './http/routes/discovery.routes.js';
import { docsRoutes } from './http/routes/docs.routes.js';
import { ocspRoutes } from './http/routes/ocsp.routes.js';
import { opsRoutes } from './http/routes/ops.routes.js';
import { publisherRoutes } from './http/routes/publishers.routes.js';
import { trustRoutes } from './http/routes/trust.routes.js';
import { validationHook } from './http/validation.js';

export function createApp(deps: AppDeps): OpenAPIHono<AppEnv> {
  const metrics = createMetrics();
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'API token (mcpsta_…) created by an admin; shown once at creation',
  });

  app.use('*', requestId({ headerName: 'x-request-id' }));
  app.use('*', accessLog(deps.logger, metrics));
  app.use('*', async (c, next) => {
    await next();
    c.header('x-content-type-options', 'nosniff');
  });
  app.use(
    '*',
    bodyLimit({
      maxSize: deps.config.bodyLimitBytes,
      onError: (c) =>
        problemResponse(c, 'payload-too-large', `request body exceeds ${deps.config.bodyLimitBytes} bytes`, [
          { field: 'body', message: `larger than ${deps.config.bodyLimitBytes} bytes` },
        ]),
    }),
  );
  app.use('*', authenticate(deps.persistence.stores.tokens, deps.persistence.clock));

  app.route('/', opsRoutes(deps, metrics));
  app.route('/', discoveryRoutes(deps));
  app.route('/', trustRoutes(deps));
  app.route('/', publisherRoutes(deps));
  app.route('/', auditRoutes(deps));
  app.route('/', certificateRoutes(deps));
  app.route('/', crlRoutes(deps));
  app.route('/', ocspRoutes(deps));

  let document: Record<string, unknown> | undefined;
  app.route('/', docsRoutes(() => (document ??= buildOpenApiDocument(app))));

  app.notFound((c) => problemResponse(c, 'not-found', `no route for ${c.req.method} ${c.req.path}`));
  app.onError(errorHandler(deps.logger));
  return app;
}
