// `npm run ta -- create-admin-user`: reads the password from stdin or --password-file, never
// echoes it, stores only a scrypt hash, audits the creation; the account can then sign in.
// The database-side commands refuse while a service holds the embedded database.
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { signIn } from '../../src/admin/sign-in.js';
import { systemClock } from '../../src/clock.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { createPersistence } from '../../src/db/persistence.js';
import {
  freshDatabase,
  seedEmptyPgliteDataDir,
  usingPostgres,
  type TestDatabase,
} from '../support/database.js';
import { freePort, runOperatorCli, spawnService, type ServiceProcess } from '../support/process.js';

const PASSWORD = 'a long and secret passphrase';

const runCli = (args: string[], env: Record<string, string>, stdin: string) =>
  runOperatorCli(args, env, stdin);

describe('create-admin-user (CLI)', () => {
  let dir: string;
  let env: Record<string, string>;
  let pg: TestDatabase | undefined;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'mcps-ta-cli-'));
    if (usingPostgres) {
      pg = await freshDatabase();
      env = { DATABASE_URL: pg.url! };
    } else {
      await seedEmptyPgliteDataDir(dir);
      env = { DATA_DIR: dir };
    }
  });
  after(async () => {
    await pg?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function withDb<T>(fn: (h: DatabaseHandle) => Promise<T>): Promise<T> {
    const h = await openDatabase(usingPostgres ? { databaseUrl: pg!.url } : { dataDir: dir });
    try {
      return await fn(h);
    } finally {
      await h.close();
    }
  }

  it('creates an account from a piped password without printing it; the account signs in; audited as cli', async () => {
    const res = await runCli(['create-admin-user', '--username', 'Ops'], env, `${PASSWORD}\n`);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /created admin user ops \(adm_[0-9a-f]{32}\)/);
    assert.ok(!res.stdout.includes(PASSWORD) && !res.stderr.includes(PASSWORD), 'password echoed');
    await withDb(async (h) => {
      const p = createPersistence(h.db, systemClock);
      const user = await p.stores.adminUsers.findByUsername('ops');
      assert.match(user!.passwordHash, /^\$scrypt\$ln=15,r=8,p=3\$/);
      assert.ok(!user!.passwordHash.includes(PASSWORD));
      const ok = await signIn(p, { username: 'ops', password: PASSWORD, clientAddress: 'test' });
      assert.equal(ok.outcome, 'signed-in');
      const events = await p.stores.audit.listNewest({ limit: 5, action: 'admin_user.created' });
      assert.equal(events[0]?.actor, 'cli');
      assert.equal(events[0]?.subject, 'admin_user:ops');
      assert.ok(!JSON.stringify(events).includes(PASSWORD));
    });
  });

  it('reads --password-file; refuses a short password and a taken username, naming the problem', async () => {
    const file = path.join(dir, 'pw');
    writeFileSync(file, `${PASSWORD}-2\n`);
    const ok = await runCli(
      ['create-admin-user', '--username', 'second', '--password-file', file],
      env,
      '',
    );
    assert.equal(ok.code, 0, ok.stderr);
    const short = await runCli(['create-admin-user', '--username', 'third'], env, 'short\n');
    assert.equal(short.code, 2);
    assert.match(short.stderr, /password: must be 12–1024 characters/);
    assert.ok(!short.stderr.includes('short\n'));
    const taken = await runCli(
      ['create-admin-user', '--username', 'second', '--password-file', file],
      env,
      '',
    );
    assert.equal(taken.code, 2);
    assert.match(taken.stderr, /exists/);
    const noName = await runCli(['create-admin-user'], env, PASSWORD);
    assert.equal(noName.code, 2);
    assert.match(noName.stderr, /--username is required/);
  });
});

// Acceptance (issue 13) 1: one writer per embedded database. While a service holds DATA_DIR
// every database-side command refuses (exit 4, nothing printed as created); once the service
// stops the same commands work and what they wrote is there after a restart.
describe(
  'database-side CLI commands while a service holds the embedded database',
  { skip: usingPostgres && 'PGlite only: PostgreSQL has many writers' },
  () => {
    let dir: string;
    const adminToken = `cli-lock-admin-${'ab'.repeat(16)}`;
    let env: Record<string, string>;
    let mirrorExport: string;
    const procs: ServiceProcess[] = [];
    before(async () => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'mcps-ta-cli-lock-'));
      await seedEmptyPgliteDataDir(dir);
      env = { DATA_DIR: dir, TA_ADMIN_TOKEN: adminToken, TA_NAME: 'cli-lock.example' };
      // An official-registry export of one server: `registry import` writes a mirror entry.
      mirrorExport = path.join(dir, 'mirror-export.json');
      writeFileSync(
        mirrorExport,
        JSON.stringify({
          servers: [
            {
              server: {
                $schema:
                  'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
                name: 'io.github.cli-lock/while-running',
                description: 'imported while the service runs',
                version: '1.0.0',
                remotes: [{ type: 'streamable-http', url: 'https://cli-lock.example.net/mcp' }],
              },
              _meta: {
                'io.modelcontextprotocol.registry/official': {
                  status: 'active',
                  publishedAt: '2025-10-01T00:00:00Z',
                  updatedAt: '2025-10-01T00:00:00Z',
                  isLatest: true,
                },
              },
            },
          ],
          metadata: { count: 1 },
        }),
      );
    });
    after(async () => {
      for (const p of procs) await p.stop('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    });

    async function start(): Promise<ServiceProcess> {
      const p = spawnService({ ...env, PORT: String(await freePort()) });
      procs.push(p);
      try {
        // A generous bound: under a full parallel suite a cold PGlite start can take minutes.
        await p.ready(300_000);
      } catch (err) {
        await p.stop('SIGKILL'); // a half-started service would hold the directory for the next test
        throw err;
      }
      return p;
    }

    it('refuses every write command with exit 4 and a clear message; a second service refuses to start', async () => {
      const service = await start();
      const publisher = await fetch(`${service.url}/v1/publishers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'lock-test' }),
      });
      assert.equal(publisher.status, 201);
      const publisherId = ((await publisher.json()) as { id: string }).id;
      const attempts: Array<[string[], string]> = [
        [['create-admin-user', '--username', 'alice'], `${PASSWORD}\n`],
        [['create-admin-token', '--label', 'while-running'], ''],
        [['create-ta-auditor-token', '--label', 'while-running'], ''],
        [['create-publisher', '--name', 'from-cli'], ''],
        [['create-token', '--publisher', publisherId, '--role', 'publisher'], ''],
        [['revoke-token', '--id', 'tok_00000000000000000000000000000000'], ''],
        [['registry', 'import', mirrorExport, '--source', 'while-running'], ''],
      ];
      for (const [args, stdin] of attempts) {
        const res = await runCli(args, env, stdin);
        assert.equal(res.code, 4, `${args[0]}: ${res.stdout}${res.stderr}`);
        assert.equal(res.stdout, '', `${args[0]} printed a result`);
        assert.match(res.stderr, /nothing was written/);
        assert.match(res.stderr, new RegExp(`in use by service pid ${service.child.pid} on `));
        assert.match(res.stderr, /stop that process first, or use the running service/);
      }
      const second = spawnService({ ...env, PORT: String(await freePort()) });
      procs.push(second);
      assert.equal(await second.exited, 4, second.output());
      assert.match(
        second.output(),
        /refusing to start: the embedded database in .* is in use by service pid/,
      );
      // The first service is unharmed and nothing the CLI tried exists.
      const list = await fetch(`${service.url}/v1/publishers`, {
        headers: { authorization: `Bearer ${adminToken}` },
      });
      assert.equal(list.status, 200);
      assert.ok(!JSON.stringify(await list.json()).includes('from-cli'));
      const mirrored = await fetch(`${service.url}/v0.1/servers?search=while-running`);
      assert.equal(mirrored.status, 200);
      assert.ok(!(await mirrored.text()).includes('cli-lock'), 'the refused import wrote nothing');
      assert.equal(await service.stop(), 0, service.output());
    });

    it('after the service stops the CLI writes; the rows are there after a restart', async () => {
      const user = await runCli(['create-admin-user', '--username', 'alice'], env, `${PASSWORD}\n`);
      assert.equal(user.code, 0, user.stderr);
      assert.match(user.stdout, /created admin user alice/);
      const tokenRes = await runCli(['create-admin-token', '--label', 'after-stop'], env, '');
      assert.equal(tokenRes.code, 0, tokenRes.stderr);
      const token = tokenRes.stdout.split('\n')[0]!;
      const imported = await runCli(['registry', 'import', mirrorExport], env, '');
      assert.equal(imported.code, 0, imported.stderr);
      assert.match(imported.stdout, /added 1,/);
      const service = await start();
      const mirrored = await fetch(`${service.url}/v0.1/servers?search=while-running`);
      assert.ok((await mirrored.text()).includes('cli-lock'), 'the imported entry is served');
      const ok = await fetch(`${service.url}/v1/publishers`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(ok.status, 200, 'the token the CLI printed is valid in the restarted service');
      assert.equal(await service.stop(), 0, service.output());
      const h = await openDatabase({ dataDir: dir });
      try {
        const p = createPersistence(h.db, systemClock);
        const alice = await p.stores.adminUsers.findByUsername('alice');
        assert.ok(alice, 'alice exists after the restart');
        assert.equal(
          (await signIn(p, { username: 'alice', password: PASSWORD, clientAddress: 'test' }))
            .outcome,
          'signed-in',
        );
      } finally {
        await h.close();
      }
    });

    it('a service killed with SIGKILL leaves no lock that blocks the CLI or the next start', async () => {
      const service = await start();
      const lockFile = path.join(realpathSync(dir), 'pglite.lock');
      assert.equal(JSON.parse(readFileSync(lockFile, 'utf8')).pid, service.child.pid);
      await service.stop('SIGKILL');
      assert.ok(existsSync(lockFile), 'the killed holder left its lock file behind');
      const res = await runCli(['create-publisher', '--name', 'after-kill'], env, '');
      assert.equal(res.code, 0, res.stderr);
      assert.ok(!existsSync(lockFile), 'the CLI removed its lock on exit');
      const again = await start();
      assert.equal(await again.stop(), 0, again.output());
    });
  },
);
