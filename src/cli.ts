// `npm run ta -- <command>`: operator commands against the configured database (DATABASE_URL,
// or the PGlite in DATA_DIR). PGlite is single-process: while a service holds DATA_DIR, the
// database-side commands refuse (exit 4) instead of writing into a copy that would be lost.
// Each command imports what it needs when it runs (`help` and `verify` need no database code):
// every module loaded through tsx costs start-up time.
import { parseArgs } from 'node:util';
import { systemClock } from './clock.js';
import { ConfigError, loadConfig } from './config.js';
import { DataDirLockedError } from './db/data-dir-lock.js';
import type { Persistence } from './stores.js';
import { TaError } from './errors.js';
import { OperatorRefusal } from './ops/refusal.js';

const HELP = `Usage: npm run ta -- <command> [options]

Commands:
  create-admin-token [--label TEXT]        Create an admin API token; prints it once.
  create-publisher --name NAME             Create a publisher; prints its id.
  create-token --publisher ID --role R     Create a publisher or auditor token for a publisher.
  create-ta-auditor-token [--label TEXT]   Create a TA-wide auditor token (reads every publisher's
                                           audit events); prints it once.
  revoke-token --id TOKEN_ID [--publisher ID]
                                           Revoke a token (admin tokens: omit --publisher).
  create-admin-user --username NAME [--password-file FILE]
                                           Create an admin UI account. The password is read
                                           from FILE, else from stdin (typed without echo at a
                                           terminal, or piped); 12–1024 characters.
  registry import FILE|URL [--source LABEL]
                                           Import an official-registry /v0.1/servers export (a
                                           JSON file, or a URL whose pages are followed) as an
                                           unverified mirror source; prints added/changed/removed.
                                           Re-importing is idempotent. LABEL defaults to FILE|URL.
  backup --out FILE [--pg-bin DIR]         Write a backup of the whole database to FILE (a tar:
                                           manifest.json + pg_dump custom archive, or the PGlite
                                           data-directory dump). Never contains the KEK.
  restore --in FILE [--force] [--pg-bin DIR]
                                           Restore a backup into the configured database. Refuses
                                           (exit 3, nothing changed) a non-empty database without
                                           --force, and a KEK that cannot unseal the keys.
  verify <passport|manifest|chain|anchors> …
                                           Verify what a TA issued, offline (--anchors FILE) or
                                           online (--ta URL); \`verify --help\` for details. Needs
                                           no database.
  help                                     This text.

The database is the one the service uses: DATABASE_URL, or the PGlite in DATA_DIR (default ./data).
The embedded PGlite allows one process at a time: while the service runs on DATA_DIR, the commands
above (except verify) refuse with exit code 4 and write nothing; stop the service first, or use its
admin API / UI. pg_dump, pg_restore and psql of the server's major version are needed for
PostgreSQL backups (looked up in --pg-bin, /usr/lib/postgresql/<major>/bin, then PATH).
`;

type Handler = (values: Record<string, string | boolean | undefined>) => Promise<string>;

async function withPersistence<T>(fn: (p: Persistence) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env);
  const [{ openDatabase }, { migrateDatabase }, { createPersistence }, { sequencePending }] =
    await Promise.all([
      import('./db/client.js'),
      import('./db/migrate.js'),
      import('./db/persistence.js'),
      import('./log/sequence.js'),
    ]);
  const handle = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    lockRole: 'cli',
  });
  try {
    await migrateDatabase(handle);
    const p = createPersistence(handle.db, systemClock);
    const result = await fn(p);
    // The command's audit events are sequenced now (a running service would within 250 ms; with
    // none running they would wait for its next start); the service signs the next checkpoint.
    await sequencePending(p);
    return result;
  } finally {
    await handle.close();
  }
}

function required(values: Record<string, string | boolean | undefined>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || !v) throw new UsageError(`--${name} is required`);
  return v;
}

class UsageError extends Error {}

function optional(
  values: Record<string, string | boolean | undefined>,
  name: string,
): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

const COMMANDS: Record<string, Handler> = {
  backup: async (v) => {
    const out = required(v, 'out');
    const { backupDatabase } = await import('./ops/backup.js');
    const m = await backupDatabase(loadConfig(process.env), {
      out,
      pgBinDir: optional(v, 'pg-bin'),
    });
    return (
      `wrote ${out}: ${m.source.kind} ${m.source.server_version} at migration ${m.schema_migration.tag}, ` +
      `dump ${m.dump.bytes} bytes sha256 ${m.dump.sha256}\n` +
      `# The key-encryption key is NOT in the backup (keys sealed under KEK id ${m.sealed_under_kek_ids.join(', ')}): keep TA_KEK safe, apart from it.`
    );
  },
  restore: async (v) => {
    const { restoreDatabase } = await import('./ops/restore.js');
    const r = await restoreDatabase(loadConfig(process.env), {
      in: required(v, 'in'),
      force: v.force === true,
      pgBinDir: optional(v, 'pg-bin'),
    });
    return (
      `restored ${r.manifest.source.kind} backup of ${r.manifest.created_at} (migration ${r.manifest.schema_migration.tag})` +
      `${r.replaced ? ', replacing the previous database' : ''}; start the service to apply newer migrations`
    );
  },
  'create-admin-token': (v) =>
    withPersistence(async (p) => {
      const { createApiToken } = await import('./auth/api-token.js');
      const t = await createApiToken(p, 'cli', {
        role: 'admin',
        publisherId: null,
        label: optional(v, 'label') ?? 'cli',
      });
      return `${t.token}\n# token id ${t.view.id} (admin). Shown once: store it now.`;
    }),
  'create-publisher': (v) =>
    withPersistence(async (p) => {
      const { createPublisher } = await import('./registry/publisher.js');
      return (await createPublisher(p, 'cli', { name: required(v, 'name') })).id;
    }),
  'create-token': (v) =>
    withPersistence(async (p) => {
      const role = required(v, 'role');
      if (role !== 'publisher' && role !== 'auditor')
        throw new UsageError('--role must be publisher or auditor');
      const { createApiToken } = await import('./auth/api-token.js');
      const t = await createApiToken(p, 'cli', {
        role,
        publisherId: required(v, 'publisher'),
        label: optional(v, 'label') ?? 'cli',
      });
      return `${t.token}\n# token id ${t.view.id} (${role}). Shown once: store it now.`;
    }),
  'create-ta-auditor-token': (v) =>
    withPersistence(async (p) => {
      const { createTaAuditorToken } = await import('./auth/ta-auditor-token.js');
      const t = await createTaAuditorToken(p, 'cli', { label: optional(v, 'label') ?? 'cli' });
      return `${t.token}\n# token id ${t.view.id} (TA-wide auditor: every publisher's audit events). Shown once: store it now.`;
    }),
  'create-admin-user': async (v) => {
    const username = required(v, 'username');
    const { readPassword } = await import('./read-password.js');
    const password = await readPassword(optional(v, 'password-file'));
    return withPersistence(async (p) => {
      const { createAdminUser } = await import('./admin/admin-user.js');
      const user = await createAdminUser(p, 'cli', { username, password });
      return `created admin user ${user.username} (${user.id}); sign in at /admin`;
    });
  },
  'revoke-token': (v) =>
    withPersistence(async (p) => {
      const { revokeApiToken } = await import('./auth/api-token.js');
      const t = await revokeApiToken(p, 'cli', optional(v, 'publisher') ?? null, required(v, 'id'));
      return `revoked ${t.id} at ${t.revokedAt?.toISOString()}`;
    }),
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    process.stdout.write(HELP);
    return command ? 0 : 2;
  }
  if (command === 'verify') {
    const { runVerifyCli } = await import('./verifier/cli.js');
    return runVerifyCli(rest, {
      stdout: (line) => process.stdout.write(`${line.replace(/\n$/, '')}\n`),
      stderr: (line) => process.stderr.write(`${line.replace(/\n$/, '')}\n`),
      env: process.env,
    });
  }
  if (command === 'registry') {
    const [sub, location, ...more] = rest;
    if (sub !== 'import' || !location || location.startsWith('--')) {
      process.stderr.write(`usage: npm run ta -- registry import FILE|URL [--source LABEL]\n`);
      return 2;
    }
    const { values } = parseArgs({
      args: more,
      options: { source: { type: 'string' } },
      strict: true,
    });
    try {
      const [{ readMirrorExport }, { importMirror }] = await Promise.all([
        import('./registry/mirror-source.js'),
        import('./registry/mirror.js'),
      ]);
      const doc = await readMirrorExport(location);
      const r = await withPersistence((p) =>
        importMirror(p, 'cli', values.source ?? location, doc),
      );
      process.stdout.write(
        `imported ${r.source}: added ${r.added}, changed ${r.changed}, removed ${r.removed}, unchanged ${r.unchanged}, rejected ${r.rejected.length}\n`,
      );
      for (const x of r.rejected)
        process.stderr.write(
          `rejected entry ${x.index} (${x.name ?? 'no name'}): ${x.field}: ${x.message}\n`,
        );
      return 0;
    } catch (err) {
      if (err instanceof DataDirLockedError) {
        process.stderr.write(`error: nothing was written: ${err.message}\n`);
        return 4;
      }
      if (err instanceof TaError || err instanceof SyntaxError || err instanceof ConfigError) {
        process.stderr.write(`error: ${err.message}\n`);
        return 2;
      }
      throw err;
    }
  }
  const handler = COMMANDS[command];
  if (!handler) {
    process.stderr.write(`unknown command ${JSON.stringify(command)}\n\n${HELP}`);
    return 2;
  }
  try {
    const { values } = parseArgs({
      args: rest,
      options: {
        label: { type: 'string' },
        name: { type: 'string' },
        publisher: { type: 'string' },
        role: { type: 'string' },
        id: { type: 'string' },
        username: { type: 'string' },
        'password-file': { type: 'string' },
        out: { type: 'string' },
        in: { type: 'string' },
        force: { type: 'boolean' },
        'pg-bin': { type: 'string' },
      },
      strict: true,
    });
    process.stdout.write(
      `${await handler(values as Record<string, string | boolean | undefined>)}\n`,
    );
    return 0;
  } catch (err) {
    if (err instanceof DataDirLockedError) {
      process.stderr.write(`error: nothing was written: ${err.message}\n`);
      return 4;
    }
    if (err instanceof OperatorRefusal) {
      process.stderr.write(`error: refused, nothing was changed: ${err.message}\n`);
      return 3;
    }
    if (err instanceof ConfigError || err instanceof UsageError || err instanceof TaError) {
      process.stderr.write(`error: ${err.message}\n`);
      return 2;
    }
    if (err instanceof TypeError && /Unknown option|Option/.test(err.message)) {
      process.stderr.write(`error: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`error: ${(err as Error).message}\n`);
    process.exit(1);
  },
);
