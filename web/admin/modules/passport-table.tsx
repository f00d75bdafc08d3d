// How passports appear in admin tables (the passports list, an agent's or a server's page):
// id, subject, state as a word, trust level and dates; plus links to subjects and passports.
import type { Clock } from '../../../src/clock.js';
import { effectiveState, type PassportRecord } from '../../../src/passports/passport.js';
import { StatusBadge } from '../ui/badge.js';
import { Id, Time } from '../ui/format.js';
import { Table, type Column } from '../ui/table.js';

/** The admin page of a registry server (`namespace/name`). */
export function serverHref(name: string): string {
  return `/admin/servers/${name.split('/').map(encodeURIComponent).join('/')}`;
}

export function passportHref(passportId: string): string {
  return `/admin/passports/${passportId}`;
}

/** The subject of a passport, linked to its agent or server page when it has one. */
export function Subject({ r }: { r: PassportRecord }) {
  if (r.subjectType === 'agent' && r.agentId)
    return <a href={`/admin/agents/${r.agentId}`}>{r.subjectName}</a>;
  if (r.subjectType === 'server') return <a href={serverHref(r.subjectName)}>{r.subjectName}</a>;
  return <>{r.subjectName}</>;
}

/** `L3` with its meaning for screen readers and hover. */
export function TrustLevel({ level }: { level: number }) {
  const meaning =
    [
      'unverified',
      'signed by this TA',
      'proof of possession',
      'proven origin and signed manifest',
      'admin audit approval',
    ][level] ?? '';
  return <abbr title={`trust level ${level}: ${meaning}`}>L{level}</abbr>;
}

/** Columns of a passport table; states are read against `clock` when the table is rendered. */
export function passportColumns(clock: Clock): Column<PassportRecord>[] {
  return [
    {
      header: 'Passport',
      cell: (r) => (
        <a href={passportHref(r.passportId)}>
          <Id value={r.passportId} />
        </a>
      ),
    },
    {
      header: 'Subject',
      cell: (r) => (
        <>
          {r.subjectType}: <Subject r={r} />
        </>
      ),
    },
    { header: 'State', cell: (r) => <StatusBadge status={effectiveState(r, clock.now())} /> },
    { header: 'Trust', cell: (r) => <TrustLevel level={r.trustLevel} /> },
    { header: 'Issued', cell: (r) => <Time value={r.issuedAt} /> },
    { header: 'Expires', cell: (r) => <Time value={r.expiresAt} /> },
  ];
}

export function PassportTable({
  rows,
  clock,
  caption,
  empty,
}: {
  rows: PassportRecord[];
  clock: Clock;
  caption: string;
  empty: string;
}) {
  return (
    <Table
      caption={caption}
      columns={passportColumns(clock)}
      rows={rows}
      empty={empty}
      rowId={(r) => r.passportId}
    />
  );
}
