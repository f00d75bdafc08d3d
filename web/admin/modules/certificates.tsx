// Certificates: the list (search by serial prefix, subject or passport id; filters by status,
// profile and publisher), a certificate's page and revoke; the dashboard's valid-certificate
// count and the current CRL's number and next update; "find" by serial.
import {
  CERTIFICATE_PROFILES,
  canonicalSerial,
  type CertificateRecord,
} from '../../../src/certificates/certificate.js';
import {
  CERTIFICATE_LIST_STATUSES,
  countValidCertificates,
  listCertificates,
} from '../../../src/certificates/list.js';
import { findCertificate, latestIssuingCrl } from '../../../src/certificates/read.js';
import { InvalidRequestError } from '../../../src/errors.js';
import { decodeTimeCursor, encodeTimeCursor } from '../cursors.js';
import { STAT_ORDER, type AdminModule } from '../module.js';
import { listPage } from '../resource-pages.js';
import { certificateActionRoutes } from './certificate-actions.js';
import { certificateDetailRoute } from './certificate-page.js';
import { certificateColumns, certificateHref } from './certificate-table.js';

const PUBLISHER_ID = /^pub_[0-9a-f]{32}$/;
/**
 * A serial as people paste it: hex with an optional 0x, or colon-separated octets as OpenSSL
 * prints them. At least 8 octets (DESIGN.md: serials carry ≥ 64 random bits), so short words
 * that happen to be hex ("cafe") still search publishers.
 */
const SERIAL = /^(?:0x)?[0-9a-fA-F]{16,40}$|^(?:[0-9a-fA-F]{2}:){7,20}[0-9a-fA-F]{2}$/;

const any = { value: '', label: 'any' };

export const certificatesModule: AdminModule = {
  nav: { href: '/admin/certificates', label: 'Certificates' },
  stats: [
    {
      label: 'Valid certificates',
      href: '/admin/certificates?status=valid',
      order: STAT_ORDER.certificates,
      load: (deps) => countValidCertificates(deps.persistence),
    },
    {
      label: 'CRL number',
      href: '/v1/crl.pem',
      order: STAT_ORDER.crl,
      load: async (deps) => (await latestIssuingCrl(deps.certificates))?.crlNumber,
    },
    {
      label: 'CRL next update',
      order: STAT_ORDER.crl + 1,
      load: async (deps) => (await latestIssuingCrl(deps.certificates))?.nextUpdate,
    },
  ],
  finders: [
    {
      pattern: SERIAL,
      resolve: async (deps, q) => {
        let serial: string;
        try {
          serial = canonicalSerial(q.replace(/^0x/, ''), 'q');
        } catch (err) {
          if (err instanceof InvalidRequestError) return undefined; // e.g. more than 20 octets
          throw err;
        }
        return (await findCertificate(deps.persistence, serial))
          ? certificateHref(serial)
          : undefined;
      },
    },
  ],
  register(app, deps) {
    const p = deps.persistence;
    app.get(
      '/admin/certificates',
      listPage<CertificateRecord>(deps, {
        path: '/admin/certificates',
        title: 'Certificates',
        intro: (
          <p>
            X.509 certificates issued by this TA: server certificates for registered servers, client
            certificates for passports (mutual TLS). Relying parties check them with the CRL at{' '}
            <a href="/v1/crl.pem">/v1/crl.pem</a> and by OCSP.
          </p>
        ),
        searchLabel: 'Serial, subject or passport id',
        filters: [
          {
            name: 'status',
            label: 'Status',
            options: [any, ...CERTIFICATE_LIST_STATUSES.map((s) => ({ value: s, label: s }))],
          },
          {
            name: 'profile',
            label: 'Profile',
            options: [any, ...CERTIFICATE_PROFILES.map((s) => ({ value: s, label: s }))],
          },
        ],
        textFilters: [
          {
            name: 'publisher',
            label: 'Publisher id',
            placeholder: 'pub_…',
            pattern: PUBLISHER_ID,
            message: 'must be a publisher id (pub_ and 32 hex digits)',
          },
        ],
        empty: 'No certificates match.',
        columns: certificateColumns(p.clock),
        rowId: (c) => `cert-${c.serial}`,
        load: async (q, c) => {
          const after = q.cursor ? decodeTimeCursor(q.cursor) : undefined;
          const page = await listCertificates(p, c.get('admin').principal, {
            search: q.search,
            status: (q.filters.status || undefined) as
              (typeof CERTIFICATE_LIST_STATUSES)[number] | undefined,
            profile: (q.filters.profile || undefined) as
              (typeof CERTIFICATE_PROFILES)[number] | undefined,
            publisherId: q.filters.publisher || undefined,
            after: after && { createdAt: after.at, serial: after.id },
            limit: q.limit,
          });
          return {
            items: page.items,
            nextCursor: page.next ? encodeTimeCursor(page.next.createdAt, page.next.serial) : null,
          };
        },
      }),
    );
    certificateDetailRoute(app, deps);
    certificateActionRoutes(app, deps);
  },
};
