// What the HTTP layer needs from the rest of the service; built by buildService (src/service.ts)
// from the database, the keys and the cross-domain ports of src/wiring/.
import type { Logger } from 'pino';
import type { CertificateContext } from '../certificates/context.js';
import type { Config } from '../config.js';
import type { LiveKeyring } from '../keys/live-keyring.js';
import type { CredentialIssuance } from './credential-deps.js';
import type { ServerDirectory } from '../passports/server-directory.js';
import type { ServerKeyDirectory } from '../manifests/server-keys.js';
import type { DashboardSource } from '../ops/dashboard.js';
import type { OperationalStatsSource } from '../ops/stats.js';
import type { ChallengeFetcher } from '../registry/namespace.js';
import type { OriginDependents } from '../registry/origin-dependents.js';
import type { LogSequencer } from '../log/sequencer.js';
import type { SignedReadCache } from '../signed-reads/cache.js';
import type { Persistence } from '../stores.js';

export interface AppDeps {
  config: Pick<
    Config,
    'taName' | 'publicUrl' | 'bodyLimitBytes' | 'allowPrivateChallenges' | 'allowPrivateWebhooks'
  >;
  persistence: Persistence;
  /** The log sequencer of this instance (readers flush it for read-your-writes). */
  log: LogSequencer;
  keyring: LiveKeyring;
  /** Key-encryption key: seals authority keys made by key rotation. Never logged or returned. */
  kek: Buffer;
  certificates: CertificateContext;
  logger: Logger;
  /** The registry's servers, for server passports. */
  servers: ServerDirectory;
  /** Fetches namespace challenge URLs (guarded: timeout, size, no redirects, public addresses). */
  fetchChallenge: ChallengeFetcher;
  /** Revokes servers' passports and certificates when their namespace is released or revoked. */
  originDependents: OriginDependents;
  /** Public keys of servers' active passports, for optional manifest server signatures. */
  serverKeys: ServerKeyDirectory;
  /** Resolves when the database answers; used by /readyz. */
  pingDatabase(): Promise<void>;
  /** 'pglite' or 'postgres', reported by /readyz. */
  databaseKind: string;
  /** Signed reads kept between state changes (invalidated by database change notices); absent: every read is signed afresh. */
  signedReads?: SignedReadCache;
  /** Figures for /metrics (issuance, revocations, CRLs, webhooks, key expiry); absent: not exposed. */
  operationalStats?: OperationalStatsSource;
  /** Rate limiter and aggregated audit of per-call credentials; absent: the app makes its own. */
  credentialIssuance?: CredentialIssuance;
  /** The admin dashboard's activity, expiry and webhook-failure reads; absent: those sections are left out. */
  dashboard?: DashboardSource;
}
