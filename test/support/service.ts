// A real service (real migrations, real keys, real middleware) on a fresh database, for tests.
// Requests go through app.request() unless `listen` asks for a real socket.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Clock } from '../../src/clock.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { buildService, startService, type Service } from '../../src/service.js';
import type { DeliveryTimings } from '../../src/webhooks/deliverer.js';
import { freshDatabase, type TestDatabase } from './database.js';
import { logRecorder, recordSecret, recordSecretFields } from './secrets-ledger.js';
import { assertCnInSans } from './x509-profile.js';

export interface TestService extends Service {
  config: Config;
  db: TestDatabase;
  kek: Buffer;
  /** The bootstrap admin token (TA_ADMIN_TOKEN). */
  adminToken: string;
  /** Every log line written so far. */
  logs(): string;
  /** Base URL when started with `listen`. */
  url: string;
  request(method: string, urlPath: string, o?: RequestOptions): Promise<TestResponse>;
  stop(): Promise<void>;
}

export interface RequestOptions {
  token?: string;
  /** JSON-encoded unless a string or Buffer. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON when the body is JSON, else undefined. */
  json: any;
}

export interface TestServiceOptions {
  env?: Record<string, string>;
  clock?: Clock;
  listen?: boolean;
  db?: TestDatabase;
  /** Webhook delivery timings (short ones for tests that wait for retries). */
  webhookTimings?: Partial<DeliveryTimings>;
  /** Reuse this KEK and admin token (a second service on the same database: a restart). */
  kek?: Buffer;
  adminToken?: string;
}

export async function startTestService(o: TestServiceOptions = {}): Promise<TestService> {
  const db = o.db ?? (await freshDatabase());
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mcps-ta-test-'));
  const kek = o.kek ?? randomBytes(32);
  const adminToken = o.adminToken ?? `test-admin-${randomBytes(24).toString('hex')}`;
  const config = loadConfig({
    DATA_DIR: dataDir,
    TA_KEK: kek.toString('hex'),
    TA_ADMIN_TOKEN: adminToken,
    TA_NAME: 'test-ta.example',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    ...o.env,
  });
  let logText = '';
  // Every token and cookie this service handed out or was sent: none may reach a log line
  // (checked at stop, so every test file that uses a test service checks its own logs).
  const secrets = new Set<string>([adminToken]);
  // …and the whole suite's check (scripts/log-secrets-check.mjs) sees them and every log line.
  const addSecret = (s: string, origin: string) => {
    secrets.add(s);
    recordSecret(s, origin);
  };
  recordSecret(adminToken, 'TA_ADMIN_TOKEN of a test service');
  recordSecret(kek.toString('hex'), 'TA_KEK of a test service');
  recordSecret(kek.toString('base64'), 'TA_KEK of a test service (base64)');
  const recordLog = logRecorder('test-service');
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logText += chunk.toString();
      recordLog(chunk);
      cb();
    },
  });
  const logger = createLogger(config.logLevel, sink);
  const options = { logger, clock: o.clock, database: db.handle, webhookTimings: o.webhookTimings };
  const service = o.listen
    ? await startService(config, options)
    : await buildService(config, options);
  const url = 'url' in service ? (service.url as string) : 'http://test.invalid';

  const request = async (
    method: string,
    urlPath: string,
    r: RequestOptions = {},
  ): Promise<TestResponse> => {
    const headers: Record<string, string> = { ...r.headers };
    if (r.token) headers.authorization = `Bearer ${r.token}`;
    let body: BodyInit | undefined;
    if (r.body !== undefined) {
      if (typeof r.body === 'string' || Buffer.isBuffer(r.body)) body = r.body as BodyInit;
      else {
        body = JSON.stringify(r.body);
        recordSecretFields(r.body, `request body of ${method} ${urlPath}`);
      }
      headers['content-type'] ??= 'application/json';
    }
    const res = o.listen
      ? await fetch(`${url}${urlPath}`, { method, headers, body })
      : await service.app.request(urlPath, { method, headers, body });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (r.token) addSecret(r.token, `bearer token sent to ${method} ${urlPath}`);
    const issued = (json as { token?: unknown } | undefined)?.token;
    if (typeof issued === 'string' && issued.length >= 16)
      addSecret(issued, `token issued by ${method} ${urlPath}`);
    for (const c of res.headers.getSetCookie()) {
      const value = c.split(';')[0]!.split('=').slice(1).join('=');
      if (value.length >= 16) addSecret(value, `cookie set by ${method} ${urlPath}`);
    }
    return { status: res.status, headers: res.headers, text, json };
  };

  return {
    ...service,
    config,
    db,
    kek,
    adminToken,
    logs: () => logText,
    url,
    request,
    stop: async () => {
      // Every certificate this service issued, checked by openssl: CN ∈ SANs (x509-profile.ts).
      // A database the test closed or never migrated has nothing to check.
      const issued = await db.sql('select pem from certificates').catch(() => undefined);
      await service.close().catch(() => {});
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
      const leaked = [...secrets].filter((secret) => logText.includes(secret));
      if (leaked.length > 0)
        throw new Error(`${leaked.length} token(s) or cookie(s) appear in the service's log lines`);
      if (issued)
        assertCnInSans(
          issued.map((r) => String(r.pem)),
          'certificates issued by this test service',
        );
    },
  };
}

/** Creates a publisher and a token of `role` for it; returns both. */
export async function createPublisherWithToken(
  ta: TestService,
  name: string,
  role: 'publisher' | 'auditor' = 'publisher',
): Promise<{ publisherId: string; token: string; tokenId: string }> {
  const p = await ta.request('POST', '/v1/publishers', { token: ta.adminToken, body: { name } });
  if (p.status !== 201) throw new Error(`create publisher: ${p.status} ${p.text}`);
  const t = await ta.request('POST', `/v1/publishers/${p.json.id}/tokens`, {
    token: ta.adminToken,
    body: { role },
  });
  if (t.status !== 201) throw new Error(`create token: ${t.status} ${t.text}`);
  return { publisherId: p.json.id, token: t.json.token, tokenId: t.json.id };
}
