// A webhook receiver for tests: a real node:http server on 127.0.0.1 that records every POST
// (raw body and headers) and can be stopped and started again on the same port.
import { EventEmitter } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedEvent {
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Date.now() when the request ended. */
  at: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedEvent[];
  /** Status to answer with (default 204). */
  answer: number;
  /** Emits `event` (a ReceivedEvent) as each one arrives: await it with events.once. */
  arrivals: EventEmitter;
  /** Resolves once `n` events have arrived (rejects after `timeoutMs`). */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedEvent[]>;
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedEvent[] = [];
  let server: Server | undefined;
  let port = 0;
  const receiver: WebhookReceiver = {
    url: '',
    received,
    arrivals: new EventEmitter(),
    answer: 204,
    waitFor: async (n, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (received.length < n) {
        if (Date.now() > deadline)
          throw new Error(`expected ${n} webhook events, got ${received.length}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return received.slice(0, n);
    },
    start: async () => {
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const event = { headers: req.headers, body: Buffer.concat(chunks), at: Date.now() };
          received.push(event);
          receiver.arrivals.emit('event', event);
          res.statusCode = receiver.answer;
          res.end();
        });
      });
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
      receiver.url = `http://127.0.0.1:${port}/hooks/revocations`;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (!server) return resolve();
        server.closeAllConnections();
        server.close(() => resolve());
        server = undefined;
      }),
  };
  await receiver.start();
  return receiver;
}
