// What the HTTP layer needs from the rest of the service; wired in src/main.ts.
import type { Logger } from 'pino';
import type { CertificateContext } from '../certificates/context.js';
import type { Config } from '../config.js';
import type { Keyring } from '../keys/keyring.js';
import type { Persistence } from '../stores.js';

export interface AppDeps {
  config: Pick<Config, 'taName' | 'publicUrl' | 'bodyLimitBytes'>;
  persistence: Persistence;
  keyring: Keyring;
  certificates: CertificateContext;
  logger: Logger;
  /** Resolves when the database answers; used by /readyz. */
  pingDatabase(): Promise<void>;
  /** 'pglite' or 'postgres', reported by /readyz. */
  databaseKind: string;
}
