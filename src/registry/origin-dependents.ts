// The port through which the registry revokes what other domains signed on the strength of a
// server's proven origin — its server passports and certificates — when that proof is lost (a
// namespace released or revoked, DESIGN.md §9). Implemented over the passports and certificates
// domains in src/wiring/registry-to-passports-and-certificates.ts.
import type { Clock } from '../clock.js';
import type { TxStores } from '../stores.js';

export interface OriginLoss {
  /** Registered servers (`namespace/name`) whose origin is no longer proven. */
  servers: string[];
  /** Their publisher. */
  publisherId: string;
  reason: 'cessationOfOperation';
  at: Date;
  /** Audit actor of the change that lost the proof. */
  actor: string;
  /** What lost it, recorded with every revocation, e.g. `namespace:com.example revoked`. */
  cause: string;
}

export interface RevokedDependents {
  passports: string[];
  certificates: string[];
}

export interface OriginDependents {
  /**
   * Inside the caller's transaction: revokes every passport and certificate of `servers` that is
   * not revoked yet, each with its revocation feed entry and audit event.
   */
  revokeForServers(s: TxStores, clock: Clock, loss: OriginLoss): Promise<RevokedDependents>;
  /** After that transaction committed (e.g. ask for a fresh CRL). Never throws. */
  committed(revoked: RevokedDependents): void;
}
