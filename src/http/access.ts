// Who may call a route is part of its contract: every route is defined through `defineRoute`
// with an access rule, which becomes both the guard and the `x-mcps-access` member of the
// OpenAPI operation (so the authorization matrix can be generated from the document).
import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { ForbiddenError, UnauthorizedError } from '../errors.js';
import type { Role } from '../registry/principal.js';
import type { AppEnv } from './context.js';

export type Access = 'public' | readonly Role[];

export const ACCESS = {
  public: 'public',
  admin: ['admin'],
  /** Reads of the audit log. */
  auditor: ['admin', 'auditor'],
  /** Writes by publishers; admins may do anything a publisher may. */
  publisher: ['admin', 'publisher'],
  anyToken: ['admin', 'publisher', 'auditor'],
} as const satisfies Record<string, Access>;

/** Guard: the caller must be authenticated with one of `roles`. */
export function requireRoles(roles: readonly Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    if (!principal) throw new UnauthorizedError();
    if (!roles.includes(principal.role)) throw new ForbiddenError(`requires one of the roles: ${roles.join(', ')}`);
    await next();
  };
}

type OpenRouteConfig = Omit<RouteConfig, 'security' | 'middleware'>;

/** createRoute with an access rule: guard, `security` and `x-mcps-access` in one place. */
export function defineRoute<const R extends OpenRouteConfig>(access: Access, config: R) {
  const isPublic = access === 'public';
  return createRoute({
    ...config,
    security: isPublic ? [] : [{ bearerAuth: [] }],
    'x-mcps-access': isPublic ? 'public' : [...access],
    middleware: (isPublic ? [] : [requireRoles(access)]) as MiddlewareHandler<AppEnv>[],
  } as R & { middleware: MiddlewareHandler<AppEnv>[] });
}
