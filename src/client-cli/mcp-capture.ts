// Reads what a live MCP server lists — tools/list, prompts/list, resources/list, every page —
// with the official @modelcontextprotocol/sdk Client, over stdio (a command) or Streamable HTTP.
// The results are read with a schema that keeps every member, so the manifest holds the objects
// exactly as the server listed them (the SDK's own Tool schema would drop members it does not know).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { z } from 'zod';
import { CLIENT_EXIT, CliError } from './exit-codes.js';

export interface Listing {
  tools: Array<Record<string, unknown>>;
  prompts: Array<Record<string, unknown>>;
  resources: Array<Record<string, unknown>>;
  server: { name?: string; version?: string };
}

const page = (member: string) =>
  z.looseObject({ [member]: z.array(z.looseObject({})), nextCursor: z.string().optional() });
/** Pages a server may return before we call it a loop. */
const MAX_PAGES = 100;

async function listAll(
  client: Client,
  method: 'tools/list' | 'prompts/list' | 'resources/list',
  member: 'tools' | 'prompts' | 'resources',
): Promise<Array<Record<string, unknown>>> {
  const all: Array<Record<string, unknown>> = [];
  let cursor: string | undefined;
  for (let i = 0; i < MAX_PAGES; i += 1) {
    const r = (await client.request(
      { method, params: cursor ? { cursor } : {} },
      page(member),
    )) as Record<string, unknown>;
    all.push(...(r[member] as Array<Record<string, unknown>>));
    cursor = r.nextCursor as string | undefined;
    if (!cursor) return all;
  }
  throw new CliError(
    CLIENT_EXIT.mcpServer,
    `${method} returned more than ${MAX_PAGES} pages: is the server's cursor stuck?`,
  );
}

export interface CaptureSource {
  stdio?: string;
  url?: string;
}

function transportOf(src: CaptureSource): { transport: Transport; what: string } {
  if (src.stdio) {
    // Through the shell, so the command is written as on a command line; exec, so closing the
    // transport stops the server itself.
    return {
      transport: new StdioClientTransport({
        command: '/bin/sh',
        args: ['-c', `exec ${src.stdio}`],
        stderr: 'inherit',
      }),
      what: `stdio server ${JSON.stringify(src.stdio)}`,
    };
  }
  let url: URL;
  try {
    url = new URL(src.url!);
  } catch {
    throw new CliError(CLIENT_EXIT.usage, `--from-url ${JSON.stringify(src.url)} is not a URL`);
  }
  return { transport: new StreamableHTTPClientTransport(url), what: `MCP server at ${url.href}` };
}

/** Connects, lists everything the server offers, disconnects. */
export async function captureListing(
  src: CaptureSource,
  progress: (line: string) => void,
): Promise<Listing> {
  const { transport, what } = transportOf(src);
  const client = new Client({ name: 'mcps-ta', version: '0.1.0' });
  progress(`connecting to the ${what}`);
  try {
    await client.connect(transport);
  } catch (err) {
    throw new CliError(
      CLIENT_EXIT.mcpServer,
      `cannot connect to the ${what}: ${(err as Error).message} — check that it starts and speaks MCP`,
    );
  }
  try {
    const caps = client.getServerCapabilities() ?? {};
    const info = client.getServerVersion();
    const tools = caps.tools ? await listAll(client, 'tools/list', 'tools') : [];
    const prompts = caps.prompts ? await listAll(client, 'prompts/list', 'prompts') : [];
    const resources = caps.resources ? await listAll(client, 'resources/list', 'resources') : [];
    progress(
      `${info?.name ?? 'the server'} ${info?.version ?? ''} lists ${tools.length} tools, ${prompts.length} prompts, ${resources.length} resources`,
    );
    return { tools, prompts, resources, server: { name: info?.name, version: info?.version } };
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(
      CLIENT_EXIT.mcpServer,
      `the ${what} failed to list its tools, prompts or resources: ${(err as Error).message}`,
    );
  } finally {
    await client.close().catch(() => {});
  }
}
