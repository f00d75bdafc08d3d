// Entry point: the only place that reads process.env and owns the process lifecycle.
import { BACKGROUND_ENV, isClusterWorker, runPrimary } from './cluster.js';
import { ConfigError, loadConfig } from './config.js';
import { KekMismatchError } from './crypto/kek.js';
import { DataDirLockedError } from './db/data-dir-lock.js';
import { createLogger } from './logger.js';

/**
 * postgres.js 3.4 can flush a queued write after the connection closed (a setImmediate in
 * connection.js nextWrite runs once `socket` is null): a TypeError thrown outside any promise,
 * which would end the process while the database is away. That one failure only loses a write to
 * a connection that is gone — its query has already failed and is answered 503 — so it is logged;
 * any other uncaught exception ends the process as Node would.
 * TODO: drop once postgres.js guards nextWrite (the process survives; the log keeps the line).
 */
function isClosedConnectionWrite(err: unknown): boolean {
  return (
    err instanceof TypeError &&
    /reading 'write'/.test(err.message) &&
    /postgres[\\/]src[\\/]connection\.js/.test(err.stack ?? '')
  );
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  process.on('uncaughtException', (err) => {
    if (isClosedConnectionWrite(err)) {
      logger.error(
        { err: { message: err.message } },
        'write to a closed database connection dropped',
      );
      return;
    }
    logger.fatal({ err }, 'uncaught exception');
    process.exit(1);
  });
  if (config.workers > 1 && !isClusterWorker()) {
    runPrimary(config.workers, logger);
    return;
  }
  // Imported only here: a cluster primary (above) forks the workers and serves nothing itself,
  // so it starts without loading the whole service (seconds of start-up on every `npm start`).
  const { startService } = await import('./service.js');
  let service;
  try {
    service = await startService(config, {
      logger,
      backgroundJobs: !isClusterWorker() || process.env[BACKGROUND_ENV] === '1',
    });
  } catch (err) {
    if (err instanceof KekMismatchError) {
      logger.fatal(
        `refusing to start: ${err.message}. Set TA_KEK to the key the database was created with.`,
      );
      process.exit(3);
    }
    if (err instanceof DataDirLockedError) {
      logger.fatal(`refusing to start: ${err.message}`);
      process.exit(4);
    }
    logger.fatal({ err }, 'start-up failed');
    process.exit(1);
  }
  logger.info(
    {
      url: service.url,
      public_url: config.publicUrl,
      issuer: config.taName,
      database: service.database.kind,
      data_dir: config.dataDir,
      pid: process.pid,
    },
    'MCPS Trust Authority listening',
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    service.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void main();
