// createApp(deps): middleware order, error mapping and route mounting. Nothing here opens
// databases or reads the environment; src/service.ts wires real things.
import { OpenAPIHono } from '@hono/zod-openapi';
import { requestBodyLimit } from './http/middleware/body-limit.js';
import { onTheResponse } from './http/middleware/response-headers.js';
import { requestId } from 'hono/request-id';
import type { AppEnv } from './http/context.js';
import type { AppDeps } from './http/deps.js';
import { errorHandler } from './http/error-handler.js';
import { createMetrics } from './http/metrics.js';
import { accessLog } from './http/middleware/access-log.js';
import { authenticate } from './http/middleware/authenticate.js';
import { publicReadCors } from './http/middleware/cors.js';
import { inputGuard } from './http/middleware/input-guard.js';
import { buildOpenApiDocument } from './http/openapi.js';
import { problemResponse } from './http/problem.js';
import { anchorsRoutes } from './http/routes/anchors.routes.js';
import { agentRoutes } from './http/routes/agents.routes.js';
import { auditRoutes } from './http/routes/audit.routes.js';
import { logRoutes } from './http/routes/log.routes.js';
import { logTilesRoutes } from './http/routes/log-tiles.routes.js';
import { auditRequestContext } from './http/middleware/audit-request.js';
import { authorityKeyRoutes } from './http/routes/authority-keys.routes.js';
import { certificateRoutes } from './http/routes/certificates.routes.js';
import { credentialRoutes } from './http/routes/credentials.routes.js';
import { credentialDepsOf } from './http/credential-deps.js';
import { createCredentialIssuanceCounter } from './http/ops-metrics.js';
import { crlRoutes } from './http/routes/crl.routes.js';
import { discoveryRoutes } from './http/routes/discovery.routes.js';
import { docsRoutes } from './http/routes/docs.routes.js';
import { manifestRoutes } from './http/routes/manifests.routes.js';
import { mcpRegistryRoutes } from './http/routes/mcp-registry.routes.js';
import { mcpsCompatRoutes } from './http/routes/mcps-compat.routes.js';
import { registryMirrorRoutes } from './http/routes/registry-mirror.routes.js';
import { namespaceRoutes } from './http/routes/namespaces.routes.js';
import { ocspRoutes } from './http/routes/ocsp.routes.js';
import { auditorTokenRoutes } from './http/routes/auditor-tokens.routes.js';
import { opsRoutes } from './http/routes/ops.routes.js';
import { passportRoutes } from './http/routes/passports.routes.js';
import { publisherRoutes } from './http/routes/publishers.routes.js';
import { revocationRoutes } from './http/routes/revocations.routes.js';
import { serverRoutes } from './http/routes/servers.routes.js';
import { trustRoutes } from './http/routes/trust.routes.js';
import { validationHook } from './http/validation.js';
import { webhookRoutes } from './http/routes/webhooks.routes.js';
import { adminRoutes } from '../web/admin/routes.js';

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
  app.use('*', publicReadCors());
  app.use('*', async (c, next) => {
    const finish = onTheResponse(c, { 'x-content-type-options': 'nosniff' });
    await next();
    finish();
  });
  app.use(
    '*',
    requestBodyLimit({
      maxSize: deps.config.bodyLimitBytes,
      onError: (c) =>
        problemResponse(
          c,
          'payload-too-large',
          `request body exceeds ${deps.config.bodyLimitBytes} bytes`,
          [{ field: 'body', message: `larger than ${deps.config.bodyLimitBytes} bytes` }],
        ),
    }),
  );
  // Before authentication: a hostile body or query is refused without a database round trip.
  app.use('*', inputGuard());
  app.use('*', authenticate(deps.persistence.stores.tokens, deps.persistence.clock));
  app.use('*', auditRequestContext());

  app.route('/', opsRoutes(deps, metrics));
  app.route('/', discoveryRoutes(deps));
  app.route('/', trustRoutes(deps));
  app.route('/', anchorsRoutes(deps));
  app.route('/', authorityKeyRoutes(deps));
  app.route('/', revocationRoutes(deps));
  app.route('/', webhookRoutes(deps));
  app.route('/', publisherRoutes(deps));
  app.route('/', auditorTokenRoutes(deps));
  app.route('/', namespaceRoutes(deps));
  app.route('/', serverRoutes(deps));
  app.route('/', manifestRoutes(deps));
  app.route('/', mcpRegistryRoutes(deps));
  app.route('/', registryMirrorRoutes(deps));
  app.route('/', auditRoutes(deps));
  app.route('/', logRoutes(deps));
  app.route('/', logTilesRoutes(deps));
  app.route('/', passportRoutes(deps));
  app.route('/', mcpsCompatRoutes(deps));
  app.route('/', agentRoutes(deps));
  app.route(
    '/',
    credentialRoutes(credentialDepsOf(deps, createCredentialIssuanceCounter(metrics.registry))),
  );
  // The admin UI (web/): HTML pages behind a cookie session; not part of the OpenAPI contract.
  app.route('/', adminRoutes(deps));
  app.route('/', certificateRoutes(deps));
  app.route('/', crlRoutes(deps));
  app.route('/', ocspRoutes(deps, metrics));

  let document: Record<string, unknown> | undefined;
  app.route(
    '/',
    docsRoutes(() => (document ??= buildOpenApiDocument(app))),
  );

  app.notFound((c) =>
    problemResponse(c, 'not-found', `no route for ${c.req.method} ${c.req.path}`),
  );
  app.onError(errorHandler(deps.logger));
  allowTrailingSlash(app, /^\/v0(?:\.1)?\/.+\/$/);
  return app;
}

/**
 * A trailing slash names the same route under the MCP Registry API (`/v0.1/servers/`), as
 * official clients expect — there only: elsewhere (the admin UI) `/x/` stays unknown, because URL
 * parsing turns `/x/%2e%2e` into `/x/` and it must not land on a page.
 */
function allowTrailingSlash(app: OpenAPIHono<AppEnv>, paths: RegExp): void {
  const inner = app.fetch;
  app.fetch = (req: Request, ...rest: unknown[]) => {
    const url = new URL(req.url);
    if (!paths.test(url.pathname))
      return (inner as (r: Request, ...a: unknown[]) => Response | Promise<Response>)(req, ...rest);
    url.pathname = url.pathname.replace(/\/+$/, '');
    const init: RequestInit & { duplex?: 'half' } = {
      method: req.method,
      headers: req.headers,
      signal: req.signal,
    };
    if (req.body !== null) Object.assign(init, { body: req.body, duplex: 'half' });
    return (inner as (r: Request, ...a: unknown[]) => Response | Promise<Response>)(
      new Request(url, init),
      ...rest,
    );
  };
}
