// Before a restore writes anything: the configured KEK must open every sealed authority key of
// the backup, or the restored TA could not sign (and would refuse to start).
import { KekMismatchError, open } from '../crypto/kek.js';
import { sealingAad } from '../keys/authority-key.js';
import { OperatorRefusal } from './refusal.js';

export interface SealedKeyRow {
  kid: string;
  sealed_private_key: string;
}

/** Throws OperatorRefusal naming the first key the KEK does not open; none → refusal too. */
export function assertKekOpens(kek: { kek: Buffer; source: string }, rows: SealedKeyRow[]): void {
  if (rows.length === 0)
    throw new OperatorRefusal(
      'the backup holds no authority keys: it is not a backup of a Trust Authority that ever started',
    );
  for (const r of rows) {
    try {
      open(kek.kek, r.sealed_private_key, sealingAad(r.kid));
    } catch (err) {
      if (!(err instanceof KekMismatchError)) throw err;
      throw new OperatorRefusal(
        `the key-encryption key from ${kek.source} cannot unseal authority key ${r.kid} in this backup (${err.message}). ` +
          'Set TA_KEK to the key the backed-up service ran with; nothing was changed.',
      );
    }
  }
}
