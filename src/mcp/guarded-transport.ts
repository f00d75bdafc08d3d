// A Transport (from @modelcontextprotocol/sdk) wrapped by a guard. The SDK's message observers
// cannot block or rewrite a message, a Transport can: every outgoing message passes `outgoing`
// (which may refuse it by throwing — the SDK rejects that request with the error — or rewrite
// it, e.g. sign it), every incoming message passes `incoming` (which may drop or rewrite it)
// before the SDK's Protocol sees it. Incoming messages are handled one at a time, in order.
import type {
  Transport,
  TransportSendOptions,
} from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';

export interface TransportHooks {
  /** The message to send instead of `message`; throw to refuse it. */
  outgoing(message: JSONRPCMessage, options?: TransportSendOptions): Promise<JSONRPCMessage>;
  /** The message to deliver instead of `message`, or undefined to drop it. */
  incoming(message: JSONRPCMessage, extra?: MessageExtraInfo): Promise<JSONRPCMessage | undefined>;
  /** A hook threw while handling an incoming message (a bug, not a refusal). */
  onError?(err: unknown): void;
}

export class GuardedTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly inner: Transport,
    private readonly hooks: TransportHooks,
  ) {}

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }

  async start(): Promise<void> {
    this.inner.onclose = () => this.onclose?.();
    this.inner.onerror = (e) => this.onerror?.(e);
    this.inner.onmessage = (message, extra) => {
      this.queue = this.queue.then(async () => {
        try {
          const out = await this.hooks.incoming(message, extra);
          if (out !== undefined) this.onmessage?.(out, extra);
        } catch (err) {
          this.hooks.onError?.(err);
          this.onerror?.(err instanceof Error ? err : new Error(String(err)));
        }
      });
    };
    await this.inner.start();
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    await this.inner.send(await this.hooks.outgoing(message, options), options);
  }

  /** Sends without the outgoing hook (a guard's own answers, already prepared). */
  async sendRaw(message: JSONRPCMessage): Promise<void> {
    await this.inner.send(message);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

export const isRequest = (
  m: JSONRPCMessage,
): m is JSONRPCMessage & {
  id: string | number;
  method: string;
  params?: Record<string, unknown>;
} => 'method' in m && 'id' in m && m.id !== undefined;
export const isNotification = (
  m: JSONRPCMessage,
): m is JSONRPCMessage & { method: string; params?: Record<string, unknown> } =>
  'method' in m && !('id' in m);
export const isResponse = (m: JSONRPCMessage): m is JSONRPCMessage & { id: string | number } =>
  !('method' in m) && 'id' in m;
