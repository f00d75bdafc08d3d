// Transparency log (issue 14): how long after a write is acknowledged its event is in a signed
// checkpoint. Audited writes run as in the audit suite while a poller watches GET
// /v1/log/checkpoint; each acknowledged event's time to the first checkpoint covering its seq.
// Limit: the sequencer's own cadence (one round every 250 ms), i.e. 125 ms expected on average.
import { closedLoop } from '../lib/load.js';
import type { BenchContext } from '../run.js';

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

export async function log(ctx: BenchContext): Promise<void> {
  const url = ctx.service.url;
  const auth = { authorization: `Bearer ${ctx.service.adminToken}` };
  const acked = new Map<string, number>();
  const seen: Array<{ size: number; at: number }> = [];
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const res = await fetch(`${url}/v1/log/checkpoint`);
      const at = performance.now();
      if (res.ok) {
        const { tree_size } = (await res.json()) as { tree_size: number };
        if (seen.length === 0 || tree_size > seen[seen.length - 1]!.size)
          seen.push({ size: tree_size, at });
      } else await res.arrayBuffer();
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  let i = 0;
  const prefix = `log-${Date.now().toString(36)}`;
  const r = await closedLoop({
    concurrency: 16,
    seconds: ctx.seconds,
    op: async () => {
      i += 1;
      const res = await fetch(`${url}/v1/publishers`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `${prefix}-${i}` }),
      });
      const body = (await res.json()) as { id?: string };
      if (res.status !== 201 || !body.id) return false;
      acked.set(`publisher:${body.id}`, performance.now());
      return true;
    },
  });
  // Let the last acknowledged events reach a checkpoint, then stop watching.
  await new Promise((res) => setTimeout(res, 2000));
  polling = false;
  await poller;
  // The seq of every acknowledged event (GET /v1/audit pages, oldest first).
  const seqOf = new Map<string, number>();
  for (let after = 0; ;) {
    const page = (await (
      await fetch(`${url}/v1/audit?after=${after}&limit=1000`, { headers: auth })
    ).json()) as {
      items: Array<{ seq: number; subject: string; action: string }>;
      next_after: number | null;
    };
    for (const e of page.items) if (e.action === 'publisher.created') seqOf.set(e.subject, e.seq);
    if (page.next_after === null) break;
    after = page.next_after;
  }
  const delays: number[] = [];
  let missing = 0;
  for (const [subject, at] of acked) {
    const seq = seqOf.get(subject);
    const cp = seq === undefined ? undefined : seen.find((s) => s.size >= seq);
    if (!cp) missing += 1;
    else delays.push(Math.max(0, cp.at - at));
  }
  const details = `${delays.length} writes at ${r.requestsPerSecond.toFixed(0)} req/s; p99 ${percentile(delays, 99).toFixed(0)} ms; max ${percentile(delays, 100).toFixed(0)} ms; ${missing} not yet in a checkpoint; poll every ~10 ms`;
  ctx.add({
    group: 'log',
    name: 'write acknowledged → in a signed checkpoint (p50)',
    figure: {
      value: percentile(delays, 50),
      unit: 'ms',
      how: 'GET /v1/log/checkpoint polled during audited writes',
    },
    limit: {
      value: 125,
      unit: 'ms',
      how: 'half the 250 ms sequencer round',
      name: 'sequencer cadence',
    },
    lowerIsBetter: true,
    details,
  });
  ctx.add({
    group: 'log',
    name: 'write acknowledged → in a signed checkpoint (p99)',
    figure: { value: percentile(delays, 99), unit: 'ms', how: 'same run' },
    limit: { value: 250, unit: 'ms', how: 'one 250 ms sequencer round', name: 'sequencer cadence' },
    lowerIsBetter: true,
  });
}
