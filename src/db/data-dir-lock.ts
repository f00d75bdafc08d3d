// One writer per embedded database. PGlite runs inside one process: a second process that opens
// the same data directory "succeeds", and then its writes are lost (STACK-NOTES pitfall 7). The
// process that opens the directory therefore takes an exclusive lock first, and every other
// process (a second `npm start`, the operator CLI) is refused while the holder lives.
//
// Two layers:
// - On Linux, the mutex is a listening socket in the abstract Unix namespace, named after the
//   directory's real path. Binding is atomic (EADDRINUSE for the second process) and the kernel
//   drops the socket when the holder dies, even by kill -9: no stale lock. The holder answers a
//   connection with who it is, for the refusal message.
// - Everywhere, a lock file `<dir>/pglite.lock` created with O_EXCL records pid, host, role and
//   start time. It is the mutex where abstract sockets do not exist and the guard across network
//   namespaces (two containers sharing a volume). A file left by a dead holder on this host is
//   taken over (the holder's pid is gone, or — on Linux — it no longer holds the socket, which
//   also covers a reused pid).
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, realpathSync, unlinkSync, writeSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const LOCK_FILE = 'pglite.lock';

/** Who holds (or held) a data directory. */
export interface LockHolder {
  pid: number;
  host: string;
  role: string;
  started_at: string;
}

/** Another live process holds the data directory. */
export class DataDirLockedError extends Error {
  readonly holder: LockHolder | undefined;
  readonly lockFile: string;

  constructor(dir: string, lockFile: string, holder: LockHolder | undefined) {
    const who = holder
      ? `${holder.role} pid ${holder.pid} on ${holder.host}, since ${holder.started_at}`
      : 'another process';
    super(
      `the embedded database in ${dir} is in use by ${who}. PGlite allows one process per data directory: ` +
        'stop that process first, or use the running service (its admin API or /admin UI) instead. ' +
        `If no such process runs (e.g. a container that no longer exists), delete ${lockFile}.`,
    );
    this.name = 'DataDirLockedError';
    this.holder = holder;
    this.lockFile = lockFile;
  }
}

export interface DataDirLock {
  readonly lockFile: string;
  release(): Promise<void>;
}

const abstractSockets = process.platform === 'linux';

function socketName(realDir: string): string {
  return `\0mcps-ta-pglite-${createHash('sha256').update(realDir).digest('hex').slice(0, 40)}`;
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    if (typeof v.pid === 'number' && typeof v.host === 'string') {
      return {
        pid: v.pid,
        host: v.host,
        role: String(v.role ?? 'unknown'),
        started_at: String(v.started_at ?? 'unknown'),
      };
    }
  } catch {
    // an unreadable lock file names nobody
  }
  return undefined;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Binds the abstract socket; undefined when another process holds it. */
function bindSocket(name: string, holder: LockHolder): Promise<net.Server | undefined> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((conn) => conn.end(JSON.stringify(holder)));
    server.once('error', (err: NodeJS.ErrnoException) =>
      err.code === 'EADDRINUSE' ? resolve(undefined) : reject(err),
    );
    server.listen(name, () => {
      server.unref(); // the lock must not keep the process alive
      resolve(server);
    });
  });
}

/** Asks the socket's holder who it is (best effort, for the message). */
function askHolder(name: string): Promise<LockHolder | undefined> {
  return new Promise((resolve) => {
    let text = '';
    const conn = net.connect(name);
    const done = () => resolve(parseHolder(text));
    conn.setTimeout(1000, () => conn.destroy());
    conn.on('data', (d) => (text += d));
    conn.on('end', done);
    conn.on('error', () => resolve(undefined));
    conn.on('close', done);
  });
}

function writeExclusive(file: string, body: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, body);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readHolder(file: string): LockHolder | undefined {
  try {
    return parseHolder(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Takes the exclusive lock on an existing directory `dir`, or throws DataDirLockedError.
 * `role` names the taker in the refusal message another process gets ("service", "cli").
 */
export async function acquireDataDirLock(dir: string, role: string): Promise<DataDirLock> {
  const realDir = realpathSync(dir);
  const lockFile = path.join(realDir, LOCK_FILE);
  const me: LockHolder = {
    pid: process.pid,
    host: os.hostname(),
    role,
    started_at: new Date().toISOString(),
  };
  const name = socketName(realDir);
  let server: net.Server | undefined;
  if (abstractSockets) {
    server = await bindSocket(name, me);
    if (!server)
      throw new DataDirLockedError(
        realDir,
        lockFile,
        (await askHolder(name)) ?? readHolder(lockFile),
      );
  }
  const closeSocket = () =>
    new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  try {
    const body = `${JSON.stringify(me)}\n`;
    if (!writeExclusive(lockFile, body)) {
      const previous = readHolder(lockFile);
      // Same host: the holder is gone when its pid is, or (Linux) when it no longer holds the
      // socket we just bound — that also covers a pid reused by an unrelated process.
      // An unreadable file (a holder killed between create and write) is stale only where the
      // socket proves nobody else holds the directory.
      const stale =
        previous === undefined
          ? abstractSockets
          : previous.host === me.host && (abstractSockets || !pidAlive(previous.pid));
      if (!stale) throw new DataDirLockedError(realDir, lockFile, previous);
      // TODO: without abstract sockets two processes taking over the same stale file at the
      // same instant could both succeed; on Linux the socket above already excludes that.
      unlinkSync(lockFile);
      if (!writeExclusive(lockFile, body))
        throw new DataDirLockedError(realDir, lockFile, readHolder(lockFile));
    }
  } catch (err) {
    await closeSocket();
    throw err;
  }
  let released = false;
  return {
    lockFile,
    release: async () => {
      if (released) return;
      released = true;
      // Remove the file only while it is still ours (an operator may have deleted it by hand).
      const current = readHolder(lockFile);
      if (current?.pid === me.pid && current.started_at === me.started_at) {
        try {
          unlinkSync(lockFile);
        } catch {
          // already gone
        }
      }
      await closeSocket();
    },
  };
}
