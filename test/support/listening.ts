// A TA listening on a real port whose public URL is that port, so the URLs it writes into
// certificates (CRL distribution points, AIA) reach it: what `openssl verify -crl_download`,
// `openssl ocsp -url` and the other independent clients need.
import { request } from 'node:http';
import { createServer } from 'node:net';
import { startTestService, type TestService, type TestServiceOptions } from './service.js';

/** A TCP port free right now on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** startTestService listening on a free port, with TA_PUBLIC_URL set to it. */
export async function startListeningTestService(o: TestServiceOptions = {}): Promise<TestService> {
  const port = await freePort();
  return startTestService({
    ...o,
    listen: true,
    env: { ...o.env, PORT: String(port), TA_PUBLIC_URL: `http://127.0.0.1:${port}` },
  });
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
  json: any;
}

/**
 * One HTTP request on a fresh connection (no keep-alive pool). Tests that pause for seconds
 * between requests (openssl runs) otherwise race the server's keep-alive timeout: a pooled socket
 * closed by the server as the client reuses it fails with ECONNRESET.
 */
export function httpRequest(
  url: string,
  o: { method?: string; token?: string; body?: unknown } = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = {};
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  let payload: Buffer | undefined;
  if (o.body !== undefined) {
    payload = Buffer.from(JSON.stringify(o.body));
    headers['content-type'] = 'application/json';
  }
  return new Promise((resolve, reject) => {
    const req = request(url, { method: o.method ?? 'GET', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const text = body.toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text, json });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}
