// Reads a service's database directly (not through the service) and lists every record without
// its audit event, every audit event without its record, and every gap in the revocation seq:
// the "nothing is half-written" invariant of DESIGN.md §8, checked after crashes and races.
import path from 'node:path';
import postgres from 'postgres';

export type Sql = (text: string) => Promise<Record<string, unknown>[]>;

export interface DirectConnection {
  sql: Sql;
  close(): Promise<void>;
}

/**
 * A second connection to the database a service process used: PostgreSQL at `databaseUrl`, or
 * the PGlite data directory under `dataDir` (only once the process that owned it has stopped).
 */
export async function openDirect(o: {
  databaseUrl?: string;
  dataDir: string;
}): Promise<DirectConnection> {
  if (o.databaseUrl) {
    const client = postgres(o.databaseUrl, { max: 1, onnotice: () => {} });
    return {
      sql: async (text) => (await client.unsafe(text)) as unknown as Record<string, unknown>[],
      close: () => client.end(),
    };
  }
  const { PGlite } = await import('@electric-sql/pglite'); // only the PGlite run loads it
  const pg = await PGlite.create(path.join(o.dataDir, 'pglite'));
  return {
    sql: async (text) => (await pg.query<Record<string, unknown>>(text)).rows,
    close: () => pg.close(),
  };
}

const col = async (sql: Sql, text: string): Promise<string[]> =>
  (await sql(text)).map((r) => String(Object.values(r)[0]));

/** Differences between two lists taken as multisets: what only one side has, or has twice. */
function compare(label: string, records: string[], events: string[]): string[] {
  const problems: string[] = [];
  const counts = new Map<string, number>();
  for (const e of events) counts.set(e, (counts.get(e) ?? 0) + 1);
  for (const [e, n] of counts) if (n > 1) problems.push(`${label}: ${e} has ${n} audit events`);
  const have = new Set(records);
  for (const r of have) if (!counts.has(r)) problems.push(`${label}: ${r} has no audit event`);
  for (const e of counts.keys())
    if (!have.has(e)) problems.push(`${label}: audit event for ${e} but no record`);
  return problems;
}

const subjects = (sql: Sql, actions: string[], prefix: string) =>
  col(
    sql,
    `select substr(subject, ${prefix.length + 1}) from audit_events where action in (${actions.map((a) => `'${a}'`).join(', ')}) order by seq`,
  );

/**
 * Every one-to-one correspondence between records, revocations and audit events that fails.
 * Assumes revocations one at a time (an authority-key cascade writes one event for many).
 */
export async function halfWritten(sql: Sql): Promise<string[]> {
  const problems: string[] = [];
  problems.push(
    ...compare(
      'publisher',
      await col(sql, 'select id from publishers'),
      await subjects(sql, ['publisher.created'], 'publisher:'),
    ),
  );
  problems.push(
    ...compare(
      'passport',
      await col(sql, 'select passport_id from passports'),
      await subjects(sql, ['passport.issued', 'passport.rotated'], 'passport:'),
    ),
  );
  problems.push(
    ...compare(
      'certificate',
      await col(sql, 'select serial from certificates'),
      await subjects(sql, ['certificate.issued', 'certificate.renewed'], 'certificate:'),
    ),
  );
  // Revocations: the record's state, the feed row and the audit event all exist, or none does.
  const feed = (kind: string) =>
    col(
      sql,
      `select subject from revocations where kind = '${kind}' and not (data ? 'superseded_by')`,
    );
  const revokedPassports = await col(
    sql,
    'select passport_id from passports where revoked_at is not null',
  );
  problems.push(...compare('passport revocation (feed)', revokedPassports, await feed('passport')));
  // A supersession (rotation, re-issue) is a feed entry of its own, naming the successor.
  problems.push(
    ...compare(
      'passport supersession (feed)',
      await col(sql, 'select passport_id from passports where superseded_at is not null'),
      await col(
        sql,
        `select subject from revocations where kind = 'passport' and data ? 'superseded_by'`,
      ),
    ),
  );
  problems.push(
    ...compare(
      'passport revocation (audit)',
      revokedPassports,
      await subjects(sql, ['passport.revoked'], 'passport:'),
    ),
  );
  const revokedCertificates = await col(
    sql,
    'select serial from certificates where revoked_at is not null',
  );
  problems.push(
    ...compare('certificate revocation (feed)', revokedCertificates, await feed('certificate')),
  );
  problems.push(
    ...compare(
      'certificate revocation (audit)',
      revokedCertificates,
      await subjects(sql, ['certificate.revoked'], 'certificate:'),
    ),
  );
  const yanked = await col(sql, `select digest from manifests where state = 'yanked'`);
  problems.push(...compare('manifest yank (feed)', yanked, await feed('manifest')));
  problems.push(
    ...compare(
      'manifest yank (audit)',
      yanked,
      await col(sql, `select data->>'digest' from audit_events where action = 'manifest.yanked'`),
    ),
  );
  problems.push(
    ...gaps(
      'revocation seq',
      (await col(sql, 'select seq from revocations order by seq')).map(Number),
    ),
  );
  // Events still queued for the log sequencer have no seq yet; the numbered ones have no gaps.
  problems.push(
    ...gaps(
      'audit seq',
      (await col(sql, 'select seq from audit_events where seq is not null order by seq')).map(
        Number,
      ),
    ),
  );
  return problems;
}

/** `seqs` (ascending) must be exactly 1, 2, …, n. */
export function gaps(label: string, seqs: number[]): string[] {
  const problems: string[] = [];
  seqs.forEach((s, i) => {
    if (s !== i + 1 && problems.length < 10)
      problems.push(`${label}: position ${i + 1} holds ${s}`);
  });
  return problems;
}
