// Cold start of the service as `npm start` runs it on the embedded database: the first start
// (creates the database and the authority keys) and a restart (reuses them). Limit: a bare Node
// HTTP server process under the same TypeScript loader, started and polled the same way.
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { startServiceProcess } from '../lib/service-process.js';
import type { BenchContext } from '../run.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

async function bareServerStartMs(): Promise<number> {
  const port = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port: p } = s.address() as net.AddressInfo;
      s.close(() => resolve(p));
    });
  });
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      `require('node:http').createServer((q,r)=>r.end('ok')).listen(${port},'127.0.0.1')`,
    ],
    { cwd: ROOT, stdio: 'ignore' },
  );
  try {
    for (;;) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/`)).ok) return performance.now() - started;
      } catch {
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  } finally {
    child.kill();
  }
}

export async function startup(ctx: BenchContext): Promise<void> {
  const floor = await bareServerStartMs();
  const limit = {
    value: floor / 1000,
    unit: 's',
    how: 'node + tsx, http server, polled',
    name: 'bare Node HTTP server start',
  };
  const first = await startServiceProcess(undefined, { keepData: true });
  await first.stop();
  const second = await startServiceProcess(undefined, { dataDir: first.dataDir, kek: first.kek });
  await second.stop();
  ctx.add({
    group: 'startup',
    name: 'first start on PGlite (creates DB + keys) to ready',
    figure: { value: first.startMs / 1000, unit: 's', how: 'spawn → /readyz 200' },
    limit,
    lowerIsBetter: true,
  });
  ctx.add({
    group: 'startup',
    name: 'restart on PGlite (reuses DB + keys) to ready',
    figure: { value: second.startMs / 1000, unit: 's', how: 'spawn → /readyz 200' },
    limit,
    lowerIsBetter: true,
  });
}
