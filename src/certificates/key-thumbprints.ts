// Certificates stored before their key's RFC 7638 thumbprint was recorded get it at start-up,
// from their own PEM: a keyCompromise must find every certificate of the key (DESIGN.md §10).
import { X509Certificate } from 'node:crypto';
import { keyThumbprint } from '../crypto/jwk.js';
import type { Persistence } from '../stores.js';

const BATCH = 500;

/** Fills in the missing key thumbprints; returns how many it wrote. Safe to run on every start. */
export async function backfillKeyThumbprints(p: Persistence): Promise<number> {
  let written = 0;
  for (;;) {
    const batch = await p.stores.certificates.listWithoutKeyThumbprint(BATCH);
    for (const c of batch)
      await p.stores.certificates.setKeyThumbprint(
        c.serial,
        keyThumbprint(new X509Certificate(c.pem).publicKey),
      );
    written += batch.length;
    if (batch.length < BATCH) return written;
  }
}
