// A stdio server transport that lets MCPS-signed messages through. The SDK's StdioServerTransport
// parses each line with its strict JSON-RPC schemas, which refuse the top-level `mcps` member
// before any guard sees it; this one only parses JSON (one message per line, as the MCP stdio
// transport defines) and hands the object on. Use it under guardServer, which verifies and removes
// `mcps`; the SDK's Protocol then checks the message itself as usual.
import process from 'node:process';
import type { Readable, Writable } from 'node:stream';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** Longest line accepted (a message); longer input closes the transport. */
const MAX_LINE_BYTES = 4 * 1024 * 1024;

export class McpsStdioServerTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T) => void;
  private buffer = '';
  private started = false;

  constructor(
    private readonly stdin: Readable = process.stdin,
    private readonly stdout: Writable = process.stdout,
  ) {}

  private readonly ondata = (chunk: Buffer | string) => {
    this.buffer += chunk.toString();
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl).replace(/\r$/, '');
      this.buffer = this.buffer.slice(nl + 1);
      if (line.trim() === '') continue;
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch {
        this.onerror?.(new Error('a line on stdin is not JSON'));
        continue;
      }
      if (
        typeof message !== 'object' ||
        message === null ||
        Array.isArray(message) ||
        (message as { jsonrpc?: unknown }).jsonrpc !== '2.0'
      ) {
        this.onerror?.(new Error('a line on stdin is not a JSON-RPC 2.0 message'));
        continue;
      }
      this.onmessage?.(message as JSONRPCMessage);
    }
    if (Buffer.byteLength(this.buffer) > MAX_LINE_BYTES) {
      this.onerror?.(new Error(`a message on stdin exceeds ${MAX_LINE_BYTES} bytes`));
      void this.close();
    }
  };

  private readonly onstreamerror = (error: Error) => this.onerror?.(error);

  async start(): Promise<void> {
    if (this.started) throw new Error('McpsStdioServerTransport already started');
    this.started = true;
    this.stdin.on('data', this.ondata);
    this.stdin.on('error', this.onstreamerror);
  }

  async close(): Promise<void> {
    this.stdin.off('data', this.ondata);
    this.stdin.off('error', this.onstreamerror);
    if (this.stdin.listenerCount('data') === 0) this.stdin.pause();
    this.buffer = '';
    this.onclose?.();
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve) => {
      if (this.stdout.write(`${JSON.stringify(message)}\n`)) resolve();
      else this.stdout.once('drain', resolve);
    });
  }
}
