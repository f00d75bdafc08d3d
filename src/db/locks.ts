// Advisory lock keys (pg_advisory_lock / pg_advisory_xact_lock take a bigint). One place, so two
// features can never pick the same number by accident.
export const LOCK_KEYS = {
  migrations: 7_301_001,
  authorityKeys: 7_301_002,
  /** Whoever holds it (per batch transaction) sequences the audit log (src/log/sequencer.ts). */
  logSequencer: 7_301_003,
  bootstrapToken: 7_301_004,
  // registry 73012xx
  revocationFeed: 7_301_201,
  registryNamespaces: 7_301_202,
  /** One CRL publication at a time across all instances (src/certificates/crl-publication.ts). */
  crlPublication: 7_301_301,
  /**
   * One public key (two-key form: this, hashtext(thumbprint)): certifying a key and revoking it
   * for keyCompromise exclude each other (src/revocation/follow-key.ts).
   */
  subjectKey: 7_301_302,
} as const;

export type LockName = keyof typeof LOCK_KEYS;
