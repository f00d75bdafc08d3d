// Takedown propagation (issue 17: "within 1 s"): time from the response of an admin yank with
// reason `malicious` until /v0.1 serves the version as `deleted`, until the revocation feed lists
// it, and until a webhook receives it. Limit: one sequential round trip to the trivial route.
// Runs on its own service instance (fresh database) that may deliver webhooks to loopback.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { call, publisherToken } from '../lib/client.js';
import { startServiceProcess, type ServiceProcess } from '../lib/service-process.js';
import type { BenchContext } from '../run.js';

const SERVER = 'com.takedown/suspect';
const ROUNDS = 5;

async function roundTripMs(url: string): Promise<number> {
  const n = 50;
  const start = performance.now();
  for (let i = 0; i < n; i += 1) await (await fetch(`${url}/healthz`)).arrayBuffer();
  return (performance.now() - start) / n;
}

/** Polls `check` every 5 ms; ms from `t0` to the first true answer. */
async function until(t0: number, check: () => Promise<boolean>): Promise<number> {
  while (performance.now() - t0 < 10_000) {
    if (await check()) return performance.now() - t0;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('the takedown did not propagate within 10 s');
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function must(
  ta: ServiceProcess,
  method: string,
  path: string,
  o: { token?: string; body?: unknown },
  status: number,
) {
  const r = await call(ta, method, path, o);
  if (r.status !== status)
    throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.json).slice(0, 300)}`);
  return r.json;
}

export async function takedown(ctx: BenchContext): Promise<void> {
  const arrivals: number[] = [];
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      arrivals.push(performance.now());
      receiver.emit('delivery');
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/takedown`;
  const ta = await startServiceProcess(await ctx.database.create(), {
    extraEnv: { TA_WORKERS: '1', TA_ALLOW_PRIVATE_WEBHOOKS: '1' },
  });
  try {
    const { token } = await publisherToken(ta, 'bench-takedown');
    await must(
      ta,
      'POST',
      '/v1/namespaces',
      { token, body: { namespace: 'com.takedown', url: 'https://takedown.com' } },
      201,
    );
    await must(ta, 'POST', '/v1/namespaces/com.takedown/approve', { token: ta.adminToken }, 200);
    await must(
      ta,
      'POST',
      '/v1/servers',
      { token, body: { name: SERVER, origin: 'https://mcp.takedown.com', description: 'bench' } },
      201,
    );
    const tool = {
      name: 'read',
      description: 'Reads',
      inputSchema: { type: 'object', properties: { q: { type: 'string' } } },
    };
    for (let i = 0; i < ROUNDS; i += 1) {
      await must(
        ta,
        'POST',
        `/v1/servers/${SERVER}/manifests`,
        { token, body: { version: `1.${i}.0`, tools: [tool] } },
        201,
      );
    }
    const secret = 'whsec-bench-takedown-0123456789abcdef0123';
    await must(
      ta,
      'POST',
      '/v1/webhooks',
      { token, body: { url: hookUrl, secret, kinds: ['manifest'] } },
      201,
    );
    const rtt = await roundTripMs(ta.url);
    const limit = {
      value: rtt,
      unit: 'ms',
      how: 'sequential GET /healthz, mean of 50',
      name: 'one HTTP round trip',
    };

    const v01: number[] = [];
    const feed: number[] = [];
    const hook: number[] = [];
    const yank: number[] = [];
    for (let i = 0; i < ROUNDS; i += 1) {
      const version = `1.${i}.0`;
      const entry = `/v0.1/servers/${encodeURIComponent(SERVER)}/versions/${version}?include_deleted=true`;
      await call(ta, 'GET', entry); // warm: the active entry is what the yank must replace
      const delivered = once(receiver, 'delivery');
      const started = performance.now();
      const y = await call(ta, 'POST', `/v1/servers/${SERVER}/manifests/${version}/yank`, {
        token: ta.adminToken,
        body: { reason: 'malicious' },
      });
      if (y.status !== 200) throw new Error(`yank: ${y.status} ${JSON.stringify(y.json)}`);
      const t0 = performance.now();
      yank.push(t0 - started);
      v01.push(
        await until(
          t0,
          async () =>
            (await call(ta, 'GET', entry)).json?._meta?.[
              'io.modelcontextprotocol.registry/official'
            ]?.status === 'deleted',
        ),
      );
      const digest = String(y.json.digest);
      feed.push(
        await until(t0, async () =>
          JSON.stringify((await call(ta, 'GET', '/v1/revocations?since=0')).json).includes(digest),
        ),
      );
      await delivered;
      hook.push(arrivals[arrivals.length - 1]! - t0);
    }
    const how = (m: string, xs: number[]) => ({
      value: median(xs),
      unit: 'ms',
      how: `${m}, median of ${ROUNDS} yanks`,
    });
    const details = (xs: number[]) =>
      `max ${Math.max(...xs).toFixed(1)} ms; yank call itself ${median(yank).toFixed(1)} ms`;
    ctx.add({
      group: 'propagation',
      name: 'yank malicious → /v0.1 status deleted',
      figure: how('since the yank response, poll every 5 ms', v01),
      limit,
      lowerIsBetter: true,
      details: details(v01),
    });
    ctx.add({
      group: 'propagation',
      name: 'yank malicious → in the revocation feed',
      figure: how('since the yank response, poll every 5 ms', feed),
      limit,
      lowerIsBetter: true,
      details: details(feed),
    });
    ctx.add({
      group: 'propagation',
      name: 'yank malicious → webhook received',
      figure: how('since the yank response, arrival at a loopback receiver', hook),
      limit,
      lowerIsBetter: true,
      details: `${details(hook)}; the deliverer polls its outbox every 250 ms`,
    });
  } finally {
    await ta.stop();
    await new Promise<void>((r) => receiver.close(() => r()));
  }
}
