// The admin UI under /admin: server-rendered pages, behind a cookie session with CSRF tokens.
// Public: the assets and the sign-in page. Everything else: requireSession → requireCsrf → page.
import { Hono, type MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import { TaError } from '../../src/errors.js';
import type { AppDeps } from '../../src/http/deps.js';
import { statusOf } from '../../src/http/problem.js';
import { assetRoutes } from './assets.js';
import { requireCsrf } from './csrf.js';
import type { AdminContext, AdminEnv } from './env.js';
import type { AdminModule } from './module.js';
import { agentsModule } from './modules/agents.js';
import { auditModule } from './modules/audit.js';
import { certificatesModule } from './modules/certificates.js';
import { keysModule } from './modules/keys.js';
import { manifestsModule } from './modules/manifests.js';
import { namespacesModule } from './modules/namespaces.js';
import { passportsModule } from './modules/passports.js';
import { publishersModule } from './modules/publishers.js';
import { serversModule } from './modules/servers.js';
import { webhooksModule } from './modules/webhooks.js';
import { dashboardRoute } from './pages/dashboard.js';
import { findRoute } from './pages/find.js';
import { signInRoutes, signOutRoute } from './pages/sign-in.js';
import { renderPage } from './render.js';
import { requireSession } from './session.js';

/** The sections of the admin UI, in navigation order (and the order "find" asks them). */
export const ADMIN_MODULES: AdminModule[] = [
  passportsModule,
  certificatesModule,
  agentsModule,
  serversModule,
  manifestsModule,
  namespacesModule,
  publishersModule,
  keysModule,
  webhooksModule,
  auditModule,
];

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

function securityHeaders(): MiddlewareHandler<AdminEnv> {
  return async (c, next) => {
    await next();
    c.header('content-security-policy', CSP);
    c.header('x-frame-options', 'DENY');
    c.header('referrer-policy', 'same-origin');
    if (!c.res.headers.has('cache-control')) c.header('cache-control', 'no-store');
  };
}

function errorPage(deps: AppDeps, logger: Logger) {
  return (err: Error, c: AdminContext) => {
    if (err instanceof TaError) {
      return renderPage(c, deps, {
        title: err.code === 'not-found' ? 'Not found' : 'Request refused',
        status: statusOf(err.code),
        body: <p>{err.message}</p>,
      });
    }
    logger.error({ req_id: c.get('requestId'), err }, 'unhandled error in admin UI');
    return renderPage(c, deps, {
      title: 'Something went wrong',
      status: 500,
      body: (
        <p>
          The server could not complete this request (request id {c.get('requestId')}). Nothing was
          changed unless a notice said so.
        </p>
      ),
    });
  };
}

export function adminRoutes(deps: AppDeps, modules: AdminModule[] = ADMIN_MODULES): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const nav = [
    { href: '/admin', label: 'Dashboard' },
    ...modules.flatMap((m) => (m.nav ? [m.nav] : [])),
  ];
  // '/admin/*' matches '/admin' itself too.
  app.use('/admin/*', securityHeaders());
  app.use('/admin/*', async (c, next) => {
    c.set('nav', nav);
    await next();
  });

  assetRoutes(app);
  signInRoutes(app, deps);

  app.use('/admin/*', requireSession(deps));
  app.use('/admin/*', requireCsrf());
  signOutRoute(app, deps);
  dashboardRoute(app, deps, modules);
  findRoute(app, deps, modules);
  for (const m of modules) m.register(app, deps);
  app.all('/admin/*', (c) =>
    renderPage(c, deps, {
      title: 'Not found',
      status: 404,
      body: <p>There is no admin page at {c.req.path}.</p>,
    }),
  );

  app.onError(errorPage(deps, deps.logger));
  return app;
}
