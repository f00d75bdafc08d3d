// Refuses hostile input before routing, validation or any handler runs: control characters in
// path segments, query parameters and in JSON or form bodies, and JSON nested too deep or too large (see
// ../input-limits.ts). The answer is the usual 400 problem naming the field.
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { InvalidRequestError } from '../../errors.js';
import type { AppEnv } from '../context.js';
import { badCharacter, scanJson, scanParams } from '../input-limits.js';
import { bodyFraming } from '../request-body.js';

const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json\b/i;
const FORM_TYPE = /^application\/x-www-form-urlencoded\b/i;

function fieldName(prefix: string, path: Array<string | number>): string {
  // A 10,000-level path would make an unreadable field name: the first levels locate it.
  const shown = path.length > 12 ? [...path.slice(0, 12), '…'] : path;
  return [prefix, ...shown.map(String)].join('.');
}

/**
 * The first path segment (percent-decoded, as route parameters will be) that `badCharacter`
 * refuses: its field is `path.<parameter>` when the matched route names that segment, else `path`.
 */
function scanPath(
  pathname: string,
  pattern: string,
): { field: string; message: string } | undefined {
  const segments = pathname.split('/');
  const names = pattern.split('/');
  for (let i = 0; i < segments.length; i += 1) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segments[i]!);
    } catch {
      continue; // malformed percent-encoding: left to routing (the segment stays as sent)
    }
    const bad = badCharacter(decoded);
    if (!bad) continue;
    const param = /^:([A-Za-z0-9_]+)/.exec(names[i] ?? '')?.[1];
    return { field: param ? `path.${param}` : 'path', message: bad };
  }
  return undefined;
}

export function inputGuard(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const url = c.req.url;
    const q = url.indexOf('?');
    const badPath = scanPath(new URL(url).pathname, routePath(c, -1));
    if (badPath) throw InvalidRequestError.field(badPath.field, badPath.message);
    if (q >= 0) {
      const bad = scanParams(new URLSearchParams(url.slice(q + 1).split('#')[0]));
      if (bad)
        throw InvalidRequestError.field(bad.name ? `query.${bad.name}` : 'query', bad.message);
    }
    if (bodyFraming(c).present) {
      const type = c.req.header('content-type') ?? '';
      if (JSON_TYPE.test(type)) {
        const bad = scanJson(await c.req.text());
        if (bad) throw InvalidRequestError.field(fieldName('body', bad.path), bad.message);
      } else if (FORM_TYPE.test(type)) {
        const bad = scanParams(new URLSearchParams(await c.req.text()));
        if (bad)
          throw InvalidRequestError.field(bad.name ? `body.${bad.name}` : 'body', bad.message);
      }
    }
    await next();
  };
}
