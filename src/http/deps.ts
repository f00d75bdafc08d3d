// What the HTTP layer needs from the rest of the service; wired in src/main.ts.
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Keyring } from '../keys/keyring.js';
import type { ServerKeyDirectory } from '../manifests/server-keys.js';
import type { ChallengeFetcher } from '../registry/namespace.js';
import type { Persistence } from '../stores.js';

export interface AppDeps {
  config: Pick<Config, 'taName' | 'publicUrl' | 'bodyLimitBytes' | 'allowPrivateChallenges'>;
  persistence: Persistence;
  keyring: Keyring;
  logger: Logger;
  /** Fetches namespace challenge URLs (guarded: timeout, size, no redirects, public addresses). */
  fetchChallenge: ChallengeFetcher;
  /** Public keys of servers' active passports, for optional manifest server signatures. */
  serverKeys: ServerKeyDirectory;
  /** Resolves when the database answers; used by /readyz. */
  pingDatabase(): Promise<void>;
  /** 'pglite' or 'postgres', reported by /readyz. */
  databaseKind: string;
}
