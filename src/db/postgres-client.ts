// postgres.js for a DATABASE_URL. A URL may name a Unix-socket directory the way libpq and
// pg_dump read it — `postgresql://user@localhost:5432/db?host=/run/postgresql` or a
// percent-encoded host, `postgresql://user@%2Frun%2Fpostgresql:5432/db` — which postgres.js
// does not understand by itself: it is given the directory as `host` (it then connects to
// DIR/.s.PGSQL.PORT). On one machine a Unix socket costs the service less CPU per statement
// than loopback TCP (BENCHMARKS.md).
import postgres from 'postgres';

/** The socket directory a URL names, if any. */
export function socketDirectoryOf(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  const fromQuery = u.searchParams.get('host');
  if (fromQuery?.startsWith('/')) return fromQuery;
  const host = decodeURIComponent(u.hostname);
  return host.startsWith('/') ? host : undefined;
}

export function postgresClient(url: string, options: postgres.Options<Record<string, never>>) {
  const dir = socketDirectoryOf(url);
  if (!dir) return postgres(url, options);
  const u = new URL(url);
  u.searchParams.delete('host');
  u.hostname = 'localhost';
  return postgres(u.toString(), { ...options, host: dir, port: Number(u.port || 5432) });
}
