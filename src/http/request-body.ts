// Whether a request has a body, and its declared length, without materialising the web-standard
// Request: under @hono/node-server, reading `c.req.raw.body` turns the adapter's lightweight
// request into a full undici Request with a web stream body and an AbortSignal, which costs more
// than a whole trivial route. On a real socket HTTP/1.1 framing decides (RFC 9112 §6.3): a body
// is present only with Content-Length or Transfer-Encoding, and Node's parser never delivers more
// bytes than a Content-Length says. Requests made in-process (app.request in tests) have no
// socket, and their Request is asked.
import type { Context } from 'hono';
import { InvalidRequestError } from '../errors.js';

/** True when the request arrived over a Node HTTP socket (@hono/node-server puts it in env). */
function fromSocket(c: Context): boolean {
  return (c.env as { incoming?: unknown } | undefined)?.incoming !== undefined;
}

export interface BodyFraming {
  present: boolean;
  /** The Content-Length when the body is framed by one (a non-negative integer), else null. */
  length: number | null;
}

export function bodyFraming(c: Context): BodyFraming {
  const te = c.req.header('transfer-encoding');
  const cl = c.req.header('content-length');
  const length = te === undefined && cl !== undefined && /^\d{1,15}$/.test(cl) ? Number(cl) : null;
  if (fromSocket(c))
    return { present: te !== undefined || (cl !== undefined && cl !== '0'), length };
  return { present: c.req.raw.body !== null, length };
}

type BodyCache = Record<string, Promise<unknown>>;

/**
 * Reads a body that arrived over a socket straight off the Node request into Hono's body cache,
 * so c.req.text(), json() and arrayBuffer() answer from it without materialising the
 * web-standard Request. Decoded as Request.text() would (UTF-8, a leading BOM dropped). False
 * when the request did not come over a socket (then Hono reads its Request as usual).
 */
export async function readSocketBody(c: Context): Promise<boolean> {
  const incoming = (c.env as { incoming?: AsyncIterable<Buffer> } | undefined)?.incoming;
  if (!incoming) return false;
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of incoming) chunks.push(chunk);
  } catch {
    throw InvalidRequestError.field('body', 'the request body ended before its Content-Length');
  }
  const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  const cache = (c.req as unknown as { bodyCache: BodyCache }).bodyCache;
  cache.arrayBuffer = Promise.resolve(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  );
  if (/json|text|x-www-form-urlencoded/i.test(c.req.header('content-type') ?? ''))
    cache.text = Promise.resolve(new TextDecoder().decode(bytes));
  return true;
}
