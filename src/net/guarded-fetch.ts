// A deliberately small HTTP client for untrusted URLs from the server side (namespace challenges,
// webhook deliveries): timeout, size limit, no redirects, and an SSRF guard that resolves the host once,
// checks every resolved address, and connects to exactly the checked address (so a second DNS
// answer cannot rebind the connection to a private address).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isPublicAddress } from './public-address.js';

/** Why a guarded fetch failed; `message` is safe to show to the URL's owner. */
export class GuardedFetchError extends Error {
  constructor(
    readonly reason:
      | 'bad-url'
      | 'blocked-address'
      | 'dns'
      | 'connect'
      | 'timeout'
      | 'redirect'
      | 'status'
      | 'too-large',
    message: string,
  ) {
    super(message);
    this.name = 'GuardedFetchError';
  }
}

export interface GuardedFetchOptions {
  timeoutMs: number;
  maxBytes: number;
  /** Allow loopback/private addresses and plain http (local development and tests only). */
  allowPrivate: boolean;
}

/** Resolves with every address checked; calls back with the first one only. */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses: LookupAddress[]) => {
      if (err)
        return callback(
          new GuardedFetchError('dns', `cannot resolve ${hostname}: ${err.code ?? err.message}`),
          '',
          4,
        );
      if (addresses.length === 0)
        return callback(new GuardedFetchError('dns', `${hostname} has no addresses`), '', 4);
      const bad = allowPrivate ? undefined : addresses.find((a) => !isPublicAddress(a.address));
      if (bad) {
        // The address itself is not named: the message reaches the caller, and internal DNS
        // answers are none of its business.
        return callback(
          new GuardedFetchError('blocked-address', `${hostname} resolves to a non-public address`),
          '',
          4,
        );
      }
      // IPv4 first: hosts often publish AAAA records that this machine cannot reach.
      const chosen = addresses.find((a) => a.family === 4) ?? addresses[0]!;
      // With autoSelectFamily (Node ≥ 20) net asks for `all`; either way only the checked address.
      if ((options as { all?: boolean }).all)
        (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, [chosen]);
      else callback(null, chosen.address, chosen.family);
    });
  };
}

/** Parses and checks a target URL before any connection (literal IPs: Node skips `lookup`). */
export function checkGuardedUrl(url: string, allowPrivate: boolean): URL {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new GuardedFetchError('bad-url', 'not an absolute URL');
  }
  const secure = target.protocol === 'https:';
  if (!secure && !(allowPrivate && target.protocol === 'http:'))
    throw new GuardedFetchError('bad-url', 'must be an https URL');
  if (target.username || target.password)
    throw new GuardedFetchError('bad-url', 'must not carry credentials');
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) && !allowPrivate && !isPublicAddress(host)) {
    throw new GuardedFetchError('blocked-address', `${host} is not a public address`);
  }
  return target;
}

interface GuardedRequest {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: Uint8Array;
  /** Resolve with the status as soon as the response starts; the body is never read. */
  statusOnly: boolean;
}

/** GETs `url` and returns the body as UTF-8 text; anything but a small 200 response throws. */
export async function guardedFetchText(url: string, o: GuardedFetchOptions): Promise<string> {
  const target = checkGuardedUrl(url, o.allowPrivate);
  const { text } = await guardedRequest(
    target,
    {
      method: 'GET',
      headers: { accept: 'text/plain', 'user-agent': 'mcps-trust-authority (namespace challenge)' },
      statusOnly: false,
    },
    o,
  );
  return text;
}

/**
 * POSTs `body` to `url` under the same guard (public addresses only unless `allowPrivate`, no
 * redirects followed, bounded time) and returns the response status without reading the body.
 * Throws GuardedFetchError only when no status was received.
 */
export async function guardedPost(
  url: string,
  body: Uint8Array,
  headers: Record<string, string>,
  o: Omit<GuardedFetchOptions, 'maxBytes'>,
): Promise<{ status: number }> {
  const target = checkGuardedUrl(url, o.allowPrivate);
  const { status } = await guardedRequest(
    target,
    {
      method: 'POST',
      headers: { ...headers, 'content-length': String(body.length) },
      body,
      statusOnly: true,
    },
    { ...o, maxBytes: 0 },
  );
  return { status };
}

function guardedRequest(
  target: URL,
  r: GuardedRequest,
  o: GuardedFetchOptions,
): Promise<{ status: number; text: string }> {
  const secure = target.protocol === 'https:';
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const request = (secure ? https : http).request(
      target,
      {
        method: r.method,
        agent: false,
        lookup: guardedLookup(o.allowPrivate),
        headers: r.headers,
      },
      (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        if (r.statusOnly) {
          res.destroy();
          return done({ status, text: '' });
        }
        if (status >= 300 && status < 400) {
          res.destroy();
          return fail(
            new GuardedFetchError('redirect', `answered ${status} (redirects are not followed)`),
          );
        }
        if (status !== 200) {
          res.destroy();
          return fail(new GuardedFetchError('status', `answered ${status}, expected 200`));
        }
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > o.maxBytes) {
          res.destroy();
          return fail(
            new GuardedFetchError('too-large', `body is larger than ${o.maxBytes} bytes`),
          );
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > o.maxBytes) {
            res.destroy();
            return fail(
              new GuardedFetchError('too-large', `body is larger than ${o.maxBytes} bytes`),
            );
          }
          chunks.push(chunk);
        });
        res.on('end', () => done({ status, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (err) =>
          fail(new GuardedFetchError('connect', `response failed: ${err.message}`)),
        );
      },
    );
    // The failure waits one turn of the event loop (setImmediate runs after pending I/O): after
    // a stall — PGlite runs synchronously on this thread — an answer that already arrived is
    // read first instead of being counted as a timeout (and the event sent again).
    const timer = setTimeout(() => {
      setImmediate(() => {
        fail(new GuardedFetchError('timeout', `no complete answer within ${o.timeoutMs} ms`));
        request.destroy();
      });
    }, o.timeoutMs);
    let settled = false;
    function done(result: { status: number; text: string }): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    }
    function fail(err: GuardedFetchError): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      reject(err);
    }
    request.on('error', (err) => {
      if (err instanceof GuardedFetchError) fail(err);
      else
        fail(
          new GuardedFetchError(
            'connect',
            `cannot connect: ${(err as NodeJS.ErrnoException).code ?? err.message}`,
          ),
        );
    });
    request.end(r.body === undefined ? undefined : Buffer.from(r.body));
  });
}
