// Who may call a route is part of its contract: every route is defined through `defineRoute`
// with an access rule, which becomes both the guard and the `x-mcps-access` member of the
// OpenAPI operation (so the authorization matrix can be generated from the document). So is
// what a write route signs: `signs` becomes `x-mcps-signs`, from which the proof-before-signature
// test (test/integration/origin-proof-routes.test.ts) is generated.
import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { ForbiddenError, UnauthorizedError } from '../errors.js';
import type { Role } from '../auth/principal.js';
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
    if (!roles.includes(principal.role))
      throw new ForbiddenError(`requires one of the roles: ${roles.join(', ')}`);
    await next();
  };
}

/**
 * TA-signed artifacts in which a name, host or origin appears (DESIGN.md §9): a certificate
 * (SANs, subject), a passport (`origin`, name), a manifest (`origin`, `tool_hash` author_origin)
 * and a registry entry (a server's origin as `/v0.1` and every later signature present it).
 * Revocation lists, the feed, OCSP answers and anchors name none of these, so a route that only
 * revokes, yanks or rotates authority keys declares `[]`.
 */
export type SignedArtifact = 'certificate' | 'passport' | 'manifest' | 'registry-entry';
export const SIGNED_ARTIFACTS: readonly SignedArtifact[] = [
  'certificate',
  'passport',
  'manifest',
  'registry-entry',
];

type OpenRouteConfig = Omit<RouteConfig, 'security' | 'middleware'>;
/** Every write route must say what it signs (`[]` for nothing), so a new one cannot skip the check. */
type SignsOption<M> = M extends 'get'
  ? { signs?: readonly [] }
  : { signs: readonly SignedArtifact[] };

/**
 * createRoute with an access rule and, for writes, what the route signs: guard, `security`,
 * `x-mcps-access` and `x-mcps-signs` in one place.
 */
export function defineRoute<
  const R extends OpenRouteConfig & { signs?: readonly SignedArtifact[] },
>(access: Access, config: R & SignsOption<R['method']>) {
  const { signs, ...rest } = config;
  if (config.method !== 'get' && signs === undefined)
    throw new Error(
      `${config.method.toUpperCase()} ${config.path}: declare what it signs (signs: [] for nothing)`,
    );
  const isPublic = access === 'public';
  return createRoute({
    ...rest,
    security: isPublic ? [] : [{ bearerAuth: [] }],
    'x-mcps-access': isPublic ? 'public' : [...access],
    'x-mcps-signs': [...(signs ?? [])],
    middleware: (isPublic ? [] : [requireRoles(access)]) as MiddlewareHandler<AppEnv>[],
  } as Omit<R, 'signs'> & { middleware: MiddlewareHandler<AppEnv>[] });
}
