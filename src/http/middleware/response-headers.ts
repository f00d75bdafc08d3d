// Headers a middleware adds to whatever response a request ends with. On a real socket they are
// set on Node's ServerResponse before the handler runs, and Node merges them into the head the
// adapter writes (a header the handler set itself wins). Setting them on `c.res` after the
// handler instead would make @hono/node-server turn its lightweight response into a full undici
// Response with a web stream body, which costs about as much as a whole trivial route. In-process
// requests (app.request in tests) have no ServerResponse: there they are set on `c.res`.
import type { ServerResponse } from 'node:http';
import type { Context } from 'hono';

/**
 * Arranges for `headers` on the response of the request `c` is handling; call the returned
 * function after `await next()`.
 */
export function onTheResponse(c: Context, headers: Record<string, string>): () => void {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (outgoing && typeof outgoing.setHeader === 'function' && !outgoing.headersSent) {
    for (const [name, value] of Object.entries(headers)) outgoing.setHeader(name, value);
    return () => {};
  }
  return () => {
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  };
}
