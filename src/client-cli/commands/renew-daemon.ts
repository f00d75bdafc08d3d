// `mcps-ta cert renew --daemon`: keeps a certificate fresh like `step ca renew --daemon`. It
// renews when the remaining lifetime falls to --expires-in (default: a third of the lifetime, so
// at 2/3 of it), then runs --exec CMD or sends SIGHUP to --pid / --pid-file so the server reloads
// the files. A failed renewal is retried with backoff (at most a tenth of the time left, at least
// 5 s); SIGINT/SIGTERM stop it.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Ctx } from '../context.js';
import { CLIENT_EXIT, CliError, usage } from '../exit-codes.js';
import { readCertificate, renewOnce, type CertFiles } from './cert.js';

export interface RenewDaemonOptions {
  rekey?: boolean;
  validityDays?: number;
  expiresIn?: string;
  exec?: string;
  pid?: string;
  pidFile?: string;
}

/** Go-style durations as step takes them: 90s, 15m, 1h30m, 2h45m10s. Milliseconds. */
export function parseDuration(s: string): number {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(s);
  if (!m || s === '')
    throw usage(`--expires-in ${JSON.stringify(s)} is not a duration such as 8h, 90m or 1h30m`);
  return ((Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 1000;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

function sleep(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (stop.aborted) return resolve();
    const t = setTimeout(
      () => {
        stop.removeEventListener('abort', done);
        resolve();
      },
      Math.min(Math.max(ms, 0), MAX_TIMER_MS),
    );
    const done = () => {
      clearTimeout(t);
      resolve();
    };
    stop.addEventListener('abort', done, { once: true });
  });
}

function runHook(ctx: Ctx, o: RenewDaemonOptions): Promise<void> {
  if (o.exec) {
    const cmd = o.exec;
    ctx.progress(`running ${cmd}`);
    return new Promise((resolve, reject) => {
      const child = spawn('/bin/sh', ['-c', cmd], { stdio: ['ignore', 'inherit', 'inherit'] });
      child.on('error', (err) =>
        reject(new CliError(CLIENT_EXIT.renewHook, `--exec ${cmd}: ${err.message}`)),
      );
      child.on('exit', (code, signal) =>
        code === 0
          ? resolve()
          : reject(
              new CliError(
                CLIENT_EXIT.renewHook,
                `--exec ${cmd} exited with ${code ?? signal}: the new certificate is in place, but the server may not have reloaded it`,
              ),
            ),
      );
    });
  }
  const pidText = o.pid ?? (o.pidFile ? readFileSync(o.pidFile, 'utf8').trim() : undefined);
  if (pidText === undefined) return Promise.resolve();
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 1)
    return Promise.reject(
      new CliError(CLIENT_EXIT.renewHook, `${JSON.stringify(pidText)} is not a process id`),
    );
  try {
    process.kill(pid, 'SIGHUP');
    ctx.progress(`sent SIGHUP to process ${pid}`);
    return Promise.resolve();
  } catch (err) {
    return Promise.reject(
      new CliError(
        CLIENT_EXIT.renewHook,
        `cannot signal process ${pid} (${(err as NodeJS.ErrnoException).code}): is the server running?`,
      ),
    );
  }
}

export async function runRenewDaemon(
  ctx: Ctx,
  files: CertFiles,
  o: RenewDaemonOptions,
): Promise<void> {
  const fixed = o.expiresIn === undefined ? undefined : parseDuration(o.expiresIn);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let failures = 0;
  try {
    while (!stop.signal.aborted) {
      const cert = readCertificate(files.cert);
      const notBefore = Date.parse(cert.validFrom);
      const notAfter = Date.parse(cert.validTo);
      const lifetime = notAfter - notBefore;
      const before = fixed ?? lifetime / 3;
      if (fixed !== undefined && fixed >= lifetime)
        throw usage(
          `--expires-in ${o.expiresIn} is not shorter than the certificate's lifetime (${Math.round(lifetime / 1000)} s)`,
        );
      const renewAt = notAfter - before;
      const wait = renewAt - Date.now();
      if (wait > 0) {
        ctx.progress(
          `certificate ${cert.serialNumber.toLowerCase()} expires ${new Date(notAfter).toISOString()}; renewing at ${new Date(renewAt).toISOString()}`,
        );
        await sleep(wait, stop.signal);
        if (stop.signal.aborted) break;
        if (Date.now() < renewAt) continue; // a timer capped at ~24.8 days: look again
      }
      try {
        await renewOnce(ctx, files, { rekey: o.rekey, validityDays: o.validityDays });
        failures = 0;
      } catch (err) {
        if (!(err instanceof CliError)) throw err;
        failures += 1;
        if (Date.now() >= notAfter)
          throw new CliError(
            err.code,
            `the certificate expired and renewal keeps failing: ${err.message}`,
          );
        const backoff = Math.max(
          5000,
          Math.min(2 ** failures * 1000, (notAfter - Date.now()) / 10),
        );
        ctx.io.stderr(
          `renewal failed (${err.message}); retrying in ${Math.round(backoff / 1000)} s`,
        );
        await sleep(backoff, stop.signal);
        continue;
      }
      try {
        await runHook(ctx, o);
      } catch (err) {
        // The new files are in place; a failing hook is reported, and the daemon keeps renewing.
        if (!(err instanceof CliError)) throw err;
        ctx.io.stderr(`error (exit ${err.code}): ${err.message}`);
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  ctx.progress('renewal daemon stopped');
}
