// How certificates appear in admin tables: serial, profile, subject (linked to its passport or
// server page), status as a word, validity and issue time.
import { statusOf, type CertificateRecord } from '../../../src/certificates/certificate.js';
import type { Clock } from '../../../src/clock.js';
import { StatusBadge } from '../ui/badge.js';
import { Id, Time } from '../ui/format.js';
import type { Column } from '../ui/table.js';
import { passportHref, serverHref } from './passport-table.js';

export function certificateHref(serial: string): string {
  return `/admin/certificates/${serial}`;
}

/** What the profile means, for hover and screen readers. */
export function Profile({ profile }: { profile: CertificateRecord['profile'] }) {
  const meaning =
    profile === 'server'
      ? 'TLS server certificate (serverAuth)'
      : 'mutual-TLS client certificate (clientAuth)';
  return <abbr title={meaning}>{profile}</abbr>;
}

/** The subject: a client certificate's passport, or a server certificate's registry server. */
export function CertificateSubject({ c }: { c: CertificateRecord }) {
  if (c.passportId) {
    return (
      <>
        passport{' '}
        <a href={passportHref(c.passportId)}>
          <Id value={c.passportId} />
        </a>
      </>
    );
  }
  return (
    <>
      server <a href={serverHref(c.subject)}>{c.subject}</a>
    </>
  );
}

/** The status at `now`, with the reason of a revocation. */
export function CertificateStatusBadge({ c, now }: { c: CertificateRecord; now: Date }) {
  const status = statusOf(c, now);
  return status === 'revoked' && c.revocationReason ? (
    <StatusBadge status="revoked" label={`revoked: ${c.revocationReason}`} />
  ) : (
    <StatusBadge status={status} />
  );
}

/** Columns of a certificate table; statuses are read against `clock` when the table is rendered. */
export function certificateColumns(clock: Clock): Column<CertificateRecord>[] {
  return [
    {
      header: 'Serial',
      cell: (c) => (
        <a href={certificateHref(c.serial)}>
          <Id value={c.serial} />
        </a>
      ),
    },
    { header: 'Profile', cell: (c) => <Profile profile={c.profile} /> },
    { header: 'Subject', cell: (c) => <CertificateSubject c={c} /> },
    { header: 'Status', cell: (c) => <CertificateStatusBadge c={c} now={clock.now()} /> },
    { header: 'Not after', cell: (c) => <Time value={c.notAfter} /> },
    { header: 'Issued', cell: (c) => <Time value={c.createdAt} /> },
  ];
}
