// Listing certificates (admin UI, owners): filters by status, profile and owner, free-text search
// (serial prefix, subject, passport id), keyset pages newest first; plus the dashboard's count.
import { listingScope } from '../registry/listing.js';
import type { Principal } from '../auth/principal.js';
import type { Persistence } from '../stores.js';
import type { CertificateProfile, CertificateRecord, CertificateStatus } from './certificate.js';
import type { CertificateQuery } from './store.js';

export const CERTIFICATE_LIST_STATUSES = [
  'valid',
  'revoked',
  'expired',
] as const satisfies readonly CertificateStatus[];
export const MAX_CERTIFICATE_PAGE = 500;

/** Where a page ends: the next page starts after this certificate. */
export interface CertificatePosition {
  createdAt: Date;
  serial: string;
}

export interface ListCertificatesOptions {
  status?: CertificateStatus | undefined;
  profile?: CertificateProfile | undefined;
  /** Admins only may name another publisher; a publisher's token sees its own certificates. */
  publisherId?: string | undefined;
  /**
   * A serial prefix (hex in any case, colons allowed as OpenSSL prints them), a substring of
   * the subject (server name or passport id) or of a SAN (`mcp.example.com`), or a passport id prefix.
   */
  search?: string | undefined;
  after?: CertificatePosition | undefined;
  limit: number;
}

export interface CertificatePage {
  items: CertificateRecord[];
  /** Position to pass as `after` for the next page; null on the last page. */
  next: CertificatePosition | null;
}

/**
 * The canonical-serial prefix a search text can be, or undefined when it is not hex. Leading
 * zeros are dropped as in canonical serials, except one that pads an odd length (`0a…`).
 */
export function serialPrefixOf(text: string): string | undefined {
  if (!/^[0-9a-fA-F]{1,2}(?::[0-9a-fA-F]{2})*:?$|^[0-9a-fA-F]{1,40}$/.test(text)) return undefined;
  const hex = text.replace(/:/g, '').toLowerCase();
  const stripped = hex.replace(/^(?:00)+/, '');
  return stripped || undefined;
}

/**
 * A page of the certificates `principal` may read, newest first. Admins see every publisher's;
 * other callers see only their own publisher's (naming another publisher is 403).
 */
export async function listCertificates(
  p: Persistence,
  principal: Principal,
  o: ListCertificatesOptions,
): Promise<CertificatePage> {
  const { search, publisherId } = listingScope(principal, o, MAX_CERTIFICATE_PAGE);
  const q: CertificateQuery = {
    now: p.clock.now(),
    status: o.status,
    profile: o.profile,
    publisherId,
    search: search ? { text: search, serialPrefix: serialPrefixOf(search) } : undefined,
    before: o.after,
    limit: o.limit + 1,
  };
  const rows = await p.stores.certificates.list(q);
  const items = rows.slice(0, o.limit);
  const last = items[items.length - 1];
  return {
    items,
    next: rows.length > o.limit && last ? { createdAt: last.createdAt, serial: last.serial } : null,
  };
}

/** Certificates neither revoked nor expired now. */
export function countValidCertificates(p: Persistence): Promise<number> {
  return p.stores.certificates.countValid(p.clock.now());
}
