// Reads `Authorization: Bearer …` when present and puts the Principal on the context. A present
// but invalid token is refused on every route (401), public ones included, so a client learns at
// once that its token is wrong.
import type { MiddlewareHandler } from 'hono';
import type { Clock } from '../../clock.js';
import { UnauthorizedError } from '../../errors.js';
import type { ApiTokenStore } from '../../auth/api-token-store.js';
import { authenticateToken } from '../../auth/authenticate.js';
import type { AppEnv } from '../context.js';

export function authenticate(tokens: ApiTokenStore, clock: Clock): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (header !== undefined) {
      const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
      if (!m) throw new UnauthorizedError('Authorization must be "Bearer <token>"');
      c.set('principal', await authenticateToken(tokens, clock, m[1]!));
    }
    await next();
  };
}
