// Applies the drizzle-kit migrations in migrations/ at start-up. Several instances may start at
// once on one PostgreSQL: the migrator runs under the `migrations` session lock (src/locks.ts),
// so exactly one applies them.
import { fileURLToPath } from 'node:url';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type { DatabaseHandle, Database } from './client.js';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../migrations', import.meta.url));

/** Applies every pending migration. Idempotent; safe to call from concurrent processes. */
export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
  const migrations = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER });
  await handle.withExclusiveSession('migrations', async (db: Database) => {
    // `dialect` and `session` are drizzle internals that its own migrate() helpers use; going
    // through them lets one code path serve both drivers.
    const internals = db as unknown as {
      dialect: { migrate(m: unknown, s: unknown, c: unknown): Promise<void> };
      session: unknown;
    };
    await internals.dialect.migrate(migrations, internals.session, {
      migrationsFolder: MIGRATIONS_FOLDER,
    });
  });
}
