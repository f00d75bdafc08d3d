// TA_WORKERS > 1: the primary process forks that many service processes sharing one port
// (node:cluster hands connections out round-robin). They are stateless over the shared
// PostgreSQL. The first worker — forked alone and waited for, so it alone creates the authority
// keys on a fresh database — runs the background jobs (periodic CRL check, webhook delivery, log sequencing);
// the others serve requests only. A worker that dies after start-up is replaced in its role. A
// start-up failure before any worker served (3: wrong KEK…) ends the whole service with its exit
// code; once one serves, a later worker that cannot start (the database went away meanwhile) is
// retried with back-off while the others keep answering — 503 until the database is back.
// SIGTERM/SIGINT go to every worker; the primary exits when all have.
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';

/** Set in a worker's environment: "1" for the one that runs the background jobs. */
export const BACKGROUND_ENV = 'TA_WORKER_BACKGROUND';

export function isClusterWorker(): boolean {
  return cluster.isWorker;
}

export function runPrimary(workers: number, logger: Logger): void {
  let stopping = false;
  /** The exit code of a worker whose start-up failed: the service's own. */
  let failed: number | undefined;
  const roles = new Map<Worker, boolean>();
  const listening = new Set<Worker>();
  /** Some worker has served: from then on a failed start-up is retried, not fatal. */
  let served = false;
  let retryMs = 1_000;

  const fork = (background: boolean): Promise<void> =>
    new Promise((resolve) => {
      const w = cluster.fork({ [BACKGROUND_ENV]: background ? '1' : '0' });
      roles.set(w, background);
      w.once('listening', () => {
        listening.add(w);
        served = true;
        retryMs = 1_000;
        resolve();
      });
      w.once('exit', (code, signal) => {
        const wasListening = listening.delete(w);
        roles.delete(w);
        if (!stopping && !wasListening && served) {
          logger.error(
            { worker_pid: w.process.pid, code, signal, retry_ms: retryMs },
            'service worker could not start; retrying',
          );
          setTimeout(() => {
            if (!stopping) void fork(background);
          }, retryMs).unref();
          retryMs = Math.min(retryMs * 2, 30_000);
          resolve();
          return;
        }
        if (!stopping && !wasListening) {
          // Start-up failed (its own log line says why): stop the others, same exit code.
          stopping = true;
          failed = code ?? 1;
          for (const other of roles.keys()) other.process.kill('SIGTERM');
        }
        if (stopping) {
          if (roles.size === 0) process.exit(failed ?? 0);
          return;
        }
        logger.error(
          { worker_pid: w.process.pid, code, signal },
          'service worker died; starting another',
        );
        void fork(background);
      });
    });

  void (async () => {
    await fork(true);
    await Promise.all(Array.from({ length: workers - 1 }, () => fork(false)));
    logger.info({ workers }, 'all service workers listening');
  })();

  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, workers: roles.size }, 'shutting down workers');
    for (const w of roles.keys()) w.process.kill('SIGTERM');
    if (roles.size === 0) process.exit(0);
    setTimeout(() => process.exit(1), 15_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
