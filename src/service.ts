// Wires the real service: database → migrations → authority keys → bootstrap token → app.
// Used by main.ts, by the CLI and by tests that need a real listening service.
import type { ServerType } from '@hono/node-server';
import { Server as HttpServer } from 'node:http';
import { serve } from '@hono/node-server';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Logger } from 'pino';
import { createApp } from './app.js';
import { createCertificateAuthority } from './certificates/authority.js';
import type { CertificateContext } from './certificates/context.js';
import { createCrlPublisher } from './certificates/crl-publisher.js';
import { backfillKeyThumbprints } from './certificates/key-thumbprints.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { openDatabase, type DatabaseHandle } from './db/client.js';
import { migrateDatabase } from './db/migrate.js';
import { createPersistence } from './db/persistence.js';
import { dashboardSource } from './db/stores/dashboard-store.js';
import { operationalStatsSource } from './db/stores/ops-stats-store.js';
import type { AppEnv } from './http/context.js';
import type { AppDeps } from './http/deps.js';
import { createCredentialIssuance } from './http/credential-deps.js';
import { resolveKek } from './kek-file.js';
import { ensureAuthorityKeys } from './keys/ensure-key-set.js';
import type { LiveKeyring } from './keys/live-keyring.js';
import type { ServerDirectory } from './passports/server-directory.js';
import { registryCertificateSubjects } from './wiring/certificates-to-registry-and-passports.js';
import { passportServerKeys } from './wiring/manifests-to-passports.js';
import { registryServerDirectory } from './wiring/passports-to-registry.js';
import { passportAndCertificateDependents } from './wiring/registry-to-passports-and-certificates.js';
import type { ServerKeyDirectory } from './manifests/server-keys.js';
import { guardedFetchText, guardedPost } from './net/guarded-fetch.js';
import { syncBootstrapToken } from './auth/bootstrap-token.js';
import { logOrigin } from './keys/anchors.js';
import { createLogSequencer, type LogSequencer } from './log/sequencer.js';
import { createSignedReadCache } from './signed-reads/cache.js';
import type { Persistence } from './stores.js';
import {
  startWebhookDeliverer,
  type DeliveryTimings,
  type WebhookDeliverer,
} from './webhooks/deliverer.js';

/** How often an instance checks whether another one rotated the authority keys. */
export const KEYRING_REFRESH_MS = 5_000;

export interface Service {
  app: OpenAPIHono<AppEnv>;
  /** What the app was built from (tests build extra routers from the same parts). */
  deps: AppDeps;
  database: DatabaseHandle;
  persistence: Persistence;
  keyring: LiveKeyring;
  /** Certificate operations' context: CA, subject policy, CRL publisher. */
  certificates: CertificateContext;
  /** Sends queued revocation webhooks in the background. */
  webhooks: WebhookDeliverer;
  /** Sequences audit events into the transparency log in the background. */
  log: LogSequencer;
  close(): Promise<void>;
}

export interface BuildServiceOptions {
  logger: Logger;
  clock?: Clock;
  /** An already open database (tests); otherwise opened from the config. */
  database?: DatabaseHandle;
  /** The registry's servers, for server passports; default: the registry in this database. */
  servers?: ServerDirectory;
  /** Server passport keys for manifest server signatures; default: the passports in this database. */
  serverKeys?: ServerKeyDirectory;
  /** Webhook delivery timings (tests shorten them); default DEFAULT_DELIVERY_TIMINGS. */
  webhookTimings?: Partial<DeliveryTimings>;
  /** Log sequencer round interval in ms (default 250). */
  logIntervalMs?: number;
  /**
   * Run the background jobs (periodic CRL freshness check, webhook delivery, the log sequencing
   * loop). Default true; with TA_WORKERS > 1 only the first worker runs them (main.ts). Publications a request asks for
   * (after a revocation) run in whichever process served it, under the publication lock.
   */
  backgroundJobs?: boolean;
}

/** What a worker without background jobs has instead of a delivery loop: nothing to deliver. */
const NO_DELIVERIES: WebhookDeliverer = {
  runOnce: async () => 0,
  inFlight: () => new Map(),
  stop: async () => {},
};

/** Server-side idle keep-alive (see startService). */
const KEEP_ALIVE_MS = 65_000;

/** Namespace challenge fetch limits: a token is ~32 characters, so 1 KiB is plenty. */
const CHALLENGE_FETCH = { timeoutMs: 5000, maxBytes: 1024 } as const;

/** Opens and prepares everything the app needs, without listening. */
export async function buildService(config: Config, o: BuildServiceOptions): Promise<Service> {
  const kek = resolveKek(config, o.logger);
  const database =
    o.database ??
    (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  try {
    await migrateDatabase(database);
    const clock = o.clock ?? systemClock;
    // Signed reads are cached between state changes: this instance's own commits clear it at
    // once, every instance's commits reach it by database change notices.
    const signedReads = createSignedReadCache(() => clock.now().getTime());
    const persistence = createPersistence(database.db, clock, {
      afterCommit: () => signedReads.changed('*'),
    });
    // Background jobs that change none of the signed documents (log sequencing every 250 ms,
    // webhook delivery, CRL publication) commit without clearing the cache: otherwise it would
    // be emptied several times a second and never hit.
    const quiet = createPersistence(database.db, clock);
    await backfillKeyThumbprints(persistence);
    const keyring = await ensureAuthorityKeys(persistence, {
      taName: config.taName,
      kek,
      publicUrl: config.publicUrl,
    });
    const bootstrap = await syncBootstrapToken(persistence, config.adminToken);
    if (bootstrap === 'revoked-by-admin')
      o.logger.warn('TA_ADMIN_TOKEN names a token that an admin revoked; it stays revoked');
    const authority = createCertificateAuthority(keyring, {
      publicUrl: config.publicUrl,
      defaultValidityDays: config.certValidityDays,
      crlValidityHours: config.crlValidityHours,
      clock: persistence.clock,
    });
    const crl = createCrlPublisher({
      persistence: quiet,
      authority,
      onError: (err) => o.logger.error({ err }, 'CRL publication failed; will retry'),
    });
    const background = o.backgroundJobs ?? true;
    await crl.ensurePublished(); // so GET /v1/crl has something to serve from the first request
    const log = createLogSequencer({
      persistence: quiet,
      intervalMs: o.logIntervalMs,
      signers: () => {
        const origin = logOrigin(config.taName);
        const key = keyring.logKey;
        return {
          origin,
          document: keyring.documentSigner,
          note: key && { name: origin, publicKey: key.publicKey, privateKey: key.privateKey },
        };
      },
      onError: (err) =>
        o.logger.error(
          { err: { message: (err as Error).message } },
          'log sequencing failed; will retry',
        ),
    });
    // Events older than the tree (and those of the key set just made) become leaves before serving.
    await log.flush(120_000);
    // One sequencing loop per instance: the worker with the background jobs runs it (every
    // instance still has one, so another instance takes over when this one dies); the other
    // workers would only contend for the sequencer lock every round.
    if (background) {
      log.start();
      crl.start();
    }
    const certificates: CertificateContext = {
      persistence,
      authority,
      subjects: registryCertificateSubjects(persistence.clock),
      crl,
    };
    const stopListening = await database.listenChanges((table) => signedReads.changed(table));
    const deps: AppDeps = {
      config,
      persistence,
      log,
      keyring,
      kek,
      certificates,
      logger: o.logger,
      servers: o.servers ?? registryServerDirectory(),
      fetchChallenge: (url) =>
        guardedFetchText(url, { ...CHALLENGE_FETCH, allowPrivate: config.allowPrivateChallenges }),
      originDependents: passportAndCertificateDependents(crl),
      serverKeys: o.serverKeys ?? passportServerKeys(persistence.stores, persistence.clock),
      pingDatabase: () => database.ping(),
      databaseKind: database.kind,
      signedReads,
      operationalStats: operationalStatsSource(database.db),
      credentialIssuance: createCredentialIssuance({ persistence, logger: o.logger }),
      dashboard: dashboardSource(database.db),
    };
    const app = createApp(deps);
    const webhooks = !background
      ? NO_DELIVERIES
      : startWebhookDeliverer(quiet, {
          kek,
          issuer: config.taName,
          post: (url, body, headers, timeoutMs) =>
            guardedPost(url, body, headers, {
              timeoutMs,
              allowPrivate: config.allowPrivateWebhooks,
            }),
          log: o.logger,
          timings: o.webhookTimings,
        });
    // Other instances sharing the database may rotate authority keys: follow them.
    const refresher = setInterval(() => {
      keyring
        .refreshIfStale()
        .catch((err: unknown) =>
          o.logger.warn({ err: { message: (err as Error).message } }, 'keyring refresh failed'),
        );
    }, KEYRING_REFRESH_MS);
    refresher.unref();
    return {
      app,
      deps,
      database,
      persistence,
      keyring,
      certificates,
      webhooks,
      log,
      close: async () => {
        clearInterval(refresher);
        await stopListening().catch(() => {});
        await log.stop();
        // A graceful stop leaves nothing unsequenced that this instance could still sequence.
        await log
          .flush(5_000)
          .catch((err: unknown) =>
            o.logger.warn({ err: { message: (err as Error).message } }, 'log not drained at stop'),
          );
        await deps.credentialIssuance?.audit.close();
        await crl.stop();
        await webhooks.stop();
        // A database handed in by the caller stays open: the caller owns it.
        if (!o.database) await database.close();
      },
    };
  } catch (err) {
    if (!o.database) await database.close().catch(() => {});
    throw err;
  }
}

export interface RunningService extends Service {
  server: ServerType;
  /** Base URL the server listens on, e.g. http://127.0.0.1:8080 */
  url: string;
}

/** Builds the service and listens on config.host:config.port (port 0 picks a free port). */
export async function startService(
  config: Config,
  o: BuildServiceOptions,
): Promise<RunningService> {
  const service = await buildService(config, o);
  let listening: { server: ServerType; port: number };
  try {
    listening = await new Promise<{ server: ServerType; port: number }>((resolve, reject) => {
      const s = serve(
        { fetch: service.app.fetch, port: config.port, hostname: config.host },
        (info) => resolve({ server: s, port: info.port }),
      );
      // A busy port or a bad address ends start-up with the normal start-up error.
      s.once('error', reject);
      // Idle keep-alive connections stay open longer than clients and proxies keep theirs (undici
      // 4 s, most load balancers 60 s): the client closes first, so it never reuses a connection
      // the server is closing at that moment (ECONNRESET on the next request).
      if (s instanceof HttpServer) {
        s.keepAliveTimeout = KEEP_ALIVE_MS;
        s.headersTimeout = KEEP_ALIVE_MS + 1_000;
      }
    });
  } catch (err) {
    await service.close().catch(() => {});
    throw new Error(`cannot listen on ${config.host}:${config.port}: ${(err as Error).message}`);
  }
  const { server, port } = listening;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    ...service,
    server,
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await service.close();
    },
  };
}
