// Reading a certificate and its status.
import { assertCanRead, type Principal } from '../registry/principal.js';
import { NotFoundError } from '../errors.js';
import { canonicalSerial, type CertificateRecord } from './certificate.js';
import type { CertificateContext } from './context.js';

/** A certificate the principal may read (admins; tokens of the owning publisher). */
export async function getCertificate(ctx: CertificateContext, principal: Principal, serialInput: string): Promise<CertificateRecord> {
  const serial = canonicalSerial(serialInput);
  const c = await ctx.persistence.stores.certificates.findBySerial(serial);
  if (!c) throw new NotFoundError(`no certificate ${serial}`);
  assertCanRead(principal, c.publisherId);
  return c;
}
