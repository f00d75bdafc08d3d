// On PostgreSQL: the service's client connects through the server's Unix socket when
// DATABASE_URL names the socket directory (?host=/dir), and what it reads there is the same
// database as over TCP.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { postgresClient } from '../../src/db/postgres-client.js';
import { openDatabase } from '../../src/db/client.js';
import { sql } from 'drizzle-orm';

describe('DATABASE_URL through a Unix socket', () => {
  it('opens the same database by its socket directory', async (t) => {
    const url = process.env.DATABASE_URL;
    if (!url) return t.skip('needs DATABASE_URL (PostgreSQL)');
    const tcp = postgresClient(url, { max: 1, onnotice: () => {} });
    let dir: string | undefined;
    let database: string;
    try {
      const [row] = await tcp`show unix_socket_directories`;
      dir = String(row?.unix_socket_directories ?? '')
        .split(',')[0]
        ?.trim();
      const [db] = await tcp`select current_database() as name`;
      database = String(db?.name);
    } finally {
      await tcp.end();
    }
    if (!dir || !dir.startsWith('/')) return t.skip('the server listens on no Unix socket');
    const u = new URL(url);
    u.searchParams.set('host', dir);
    const handle = await openDatabase({ databaseUrl: u.toString(), dataDir: '' });
    try {
      const rows = (await handle.db.execute(
        sql`select current_database() as db, inet_client_addr() as addr`,
      )) as unknown as { db: string; addr: string | null }[];
      assert.equal(rows[0]!.db, database);
      // A Unix-socket session has no client address; a TCP one has.
      assert.equal(rows[0]!.addr, null);
    } finally {
      await handle.close();
    }
  });
});
