// Registry fixtures: verified namespaces, servers, manifests, and a local HTTP server that plays
// the publisher's web site for namespace challenges.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestService } from './service.js';

/** Claims `namespace` for the token's publisher and has the admin approve it. */
export async function verifiedNamespace(
  ta: TestService,
  token: string,
  namespace: string,
): Promise<void> {
  const c = await ta.request('POST', '/v1/namespaces', {
    token,
    body: { namespace, url: `https://${namespace.split('.').reverse().join('.')}` },
  });
  if (c.status !== 201) throw new Error(`claim ${namespace}: ${c.status} ${c.text}`);
  const a = await ta.request('POST', `/v1/namespaces/${namespace}/approve`, {
    token: ta.adminToken,
  });
  if (a.status !== 200) throw new Error(`approve ${namespace}: ${a.status} ${a.text}`);
}

/**
 * Registers `name` (namespace/name) with an origin on the namespace's domain, or `origin` —
 * which must be one the TA can prove for the token's publisher (a host within a namespace it
 * verified): the registration refuses any other (see adminApprovedServer).
 */
export async function registeredServer(
  ta: TestService,
  token: string,
  name: string,
  origin?: string,
): Promise<void> {
  const ns = name.split('/')[0]!;
  const body = {
    name,
    origin: origin ?? `https://mcp.${ns.split('.').reverse().join('.')}`,
    description: `The ${name} server`,
  };
  const r = await ta.request('POST', '/v1/servers', { token, body });
  if (r.status !== 201) throw new Error(`register ${name}: ${r.status} ${r.text}`);
}

/**
 * Registers `name` under its (verified) namespace with an origin no namespace proves — an IP
 * literal, `localhost`, a private name, plain http — the only way the TA allows: an admin
 * registers it with an audited origin approval (`server.origin_approved`).
 */
export async function adminApprovedServer(
  ta: TestService,
  name: string,
  origin: string,
  reason = 'test fixture: a local host for TLS tests',
): Promise<void> {
  const body = { name, origin, description: `The ${name} server`, origin_approval_reason: reason };
  const r = await ta.request('POST', '/v1/servers', { token: ta.adminToken, body });
  if (r.status !== 201) throw new Error(`admin-register ${name}: ${r.status} ${r.text}`);
}

export const READ_FILE_TOOL = {
  name: 'read_file',
  description: 'Read the contents of a file',
  inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
};

export const WEATHER_TOOL = {
  name: 'get_forecast',
  title: 'Forecast',
  description: 'Weather forecast for a city',
  inputSchema: {
    type: 'object',
    properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1, maximum: 14 } },
    required: ['city'],
  },
  outputSchema: { type: 'object', properties: { summary: { type: 'string' } } },
  annotations: { readOnlyHint: true },
};

/** The path of a server's manifests collection. */
export function manifestsPath(name: string): string {
  return `/v1/servers/${name}/manifests`;
}

export interface ChallengeSite {
  /** Base URL, e.g. http://127.0.0.1:PORT */
  url: string;
  /** Decides the answer for each request; default 404. */
  handle(fn: (req: IncomingMessage, res: ServerResponse) => void): void;
  /** Paths requested so far. */
  requests: string[];
  close(): Promise<void>;
}

/** A node:http server on 127.0.0.1, port 0. */
export async function startChallengeSite(): Promise<ChallengeSite> {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.statusCode = 404;
    res.end('not found');
  };
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    handle: (fn) => {
      handler = fn;
    },
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
