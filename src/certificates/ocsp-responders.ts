// One delegated OCSP responder per CA generation (RFC 6960 §4.2.2.2), kept in memory by each
// process. The responder key is ephemeral: generated in this process, never stored, never
// leaving memory; its certificate is signed by the CA generation's own key, which every instance
// already holds (the keyring), with a twin certificate for the same key signed by the root. So each instance sharing a database signs on its own with no
// coordination — clients accept any responder certificate issued by the right CA — and nothing
// secret is added to the database. Certificates are short-lived (7 days, with id-pkix-ocsp-nocheck)
// and replaced once half their validity has passed; the old one answers until the new one is ready.
import type { Clock } from '../clock.js';
import { createOcspResponder, type OcspSigner } from '../crypto/x509/ocsp-responder-certificate.js';
import type { CertificateAuthority } from './authority.js';

export interface OcspResponders {
  /** The current responder of CA `kid` (the root or an issuing generation). */
  signerFor(kid: string): Promise<OcspSigner>;
}

export interface OcspRespondersOptions {
  authority: Pick<CertificateAuthority, 'byKid' | 'rootKid'>;
  clock: Clock;
  validityMs: number;
}

interface Slot {
  current?: OcspSigner;
  /** A responder being created (first one, or the replacement of `current`). */
  next?: Promise<OcspSigner>;
}

export function createOcspResponders(o: OcspRespondersOptions): OcspResponders {
  const slots = new Map<string, Slot>();

  function renew(kid: string, slot: Slot): Promise<OcspSigner> {
    const generation = o.authority.byKid(kid);
    if (!generation) return Promise.reject(new Error(`no CA ${kid}`));
    const anchor = o.authority.byKid(o.authority.rootKid)?.ca;
    slot.next ??= createOcspResponder({
      issuer: generation.ca,
      anchor,
      now: o.clock.now(),
      validityMs: o.validityMs,
    }).then(
      (signer) => {
        slot.current = signer;
        slot.next = undefined;
        return signer;
      },
      (err: unknown) => {
        slot.next = undefined;
        throw err;
      },
    );
    return slot.next;
  }

  return {
    signerFor: async (kid) => {
      let slot = slots.get(kid);
      if (!slot) slots.set(kid, (slot = {}));
      const now = o.clock.now().getTime();
      const c = slot.current;
      if (!c || c.notAfter.getTime() <= now) return renew(kid, slot);
      const half = c.notBefore.getTime() + (c.notAfter.getTime() - c.notBefore.getTime()) / 2;
      // Past half its life: start the replacement, keep answering with this one meanwhile.
      if (now >= half) renew(kid, slot).catch(() => {});
      return c;
    },
  };
}
