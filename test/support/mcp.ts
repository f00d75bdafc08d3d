// MCP fixtures for the guard tests: a weather server built with the real @modelcontextprotocol/sdk
// McpServer (its tool description can be changed to play a rug pull), a recorder of what reaches
// the server, and a raw JSON-RPC client on an in-memory transport (to send hand-made envelopes).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer, type RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { GuardedTransport } from '../../src/mcp/index.js';

export const FORECAST_DESCRIPTION = 'Weather forecast for a city';

export interface WeatherServer {
  server: McpServer;
  forecast: RegisteredTool;
  /** Cities the get_forecast handler was called with. */
  calls: string[];
}

/** The weather server: get_forecast and read_file. */
export function weatherServer(o: { description?: string } = {}): WeatherServer {
  const server = new McpServer({ name: 'weather', version: '1.0.0' });
  const calls: string[] = [];
  const forecast = server.registerTool(
    'get_forecast',
    {
      title: 'Forecast',
      description: o.description ?? FORECAST_DESCRIPTION,
      inputSchema: { city: z.string().min(1), days: z.number().int().min(1).max(14).optional() },
      annotations: { readOnlyHint: true },
    },
    async ({ city, days }) => {
      calls.push(city);
      return { content: [{ type: 'text', text: `${city}: sunny for ${days ?? 1} day(s)` }] };
    },
  );
  server.registerTool(
    'read_file',
    { description: 'Read the contents of a file', inputSchema: { path: z.string() } },
    async ({ path }) => ({
      content: [{ type: 'text', text: `contents of ${path}` }],
    }),
  );
  return { server, forecast, calls };
}

/** The tools a server lists, exactly as listed (with the SDK's `execution`), as a publisher publishes them. */
export async function listedTools(server: McpServer): Promise<Record<string, unknown>[]> {
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(b);
  const client = new Client({ name: 'publisher', version: '1.0.0' });
  await client.connect(a);
  const { tools } = await client.listTools();
  await client.close();
  await server.close();
  return tools as Record<string, unknown>[];
}

/** Wraps a server-side transport so the test sees every message that reaches the server. */
export function recorded(transport: Transport, seen: JSONRPCMessage[]): Transport {
  return new GuardedTransport(transport, {
    outgoing: async (m) => m,
    incoming: async (m) => (seen.push(m), m),
  });
}

export interface RawClient {
  send(message: Record<string, unknown>): Promise<void>;
  /** Sends a request and waits for the response with its id. */
  ask(message: Record<string, unknown> & { id: string | number }): Promise<Record<string, any>>;
  close(): Promise<void>;
}

/** A bare JSON-RPC peer of `server` over an in-memory transport: no SDK Client in between. */
export async function rawClient(server: {
  connect(t: Transport): Promise<void>;
}): Promise<RawClient> {
  const [mine, theirs] = InMemoryTransport.createLinkedPair();
  const waiting = new Map<string | number, (m: Record<string, any>) => void>();
  mine.onmessage = (m) => {
    const id = (m as { id?: string | number }).id;
    if (id !== undefined && waiting.has(id) && !('method' in m)) {
      waiting.get(id)!(m as Record<string, any>);
      waiting.delete(id);
    }
  };
  await server.connect(theirs);
  await mine.start();
  return {
    send: (m) => mine.send(m as JSONRPCMessage),
    ask: (m) =>
      new Promise((resolve, reject) => {
        waiting.set(m.id, resolve);
        mine.send(m as unknown as JSONRPCMessage).catch(reject);
        setTimeout(() => reject(new Error(`no answer to ${String(m.id)}`)), 5000).unref();
      }),
    close: () => mine.close(),
  };
}

/** Waits (a few event-loop turns at a time, ≤ 2 s) until `condition` holds. */
export async function until(condition: () => unknown, what: string): Promise<void> {
  const end = Date.now() + 2000;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
