// guardServer: an MCP server (McpServer or Server of @modelcontextprotocol/sdk) that accepts only
// MCPS-signed messages from senders with a valid passport. For each incoming message: the `mcps`
// envelope is well-formed; the sender's passport verifies with the trusted TA keys, has the
// minimum trust level and is not revoked, superseded or expired (feed + clock); the timestamp is
// within ±5 minutes; the signature verifies with the passport's key; the nonce was not seen
// before (replay cache); and, for a tools/call that needs one, the per-call credential verifies
// offline (call-credential.ts). A refused request gets a JSON-RPC error (data.code = the
// GuardError code) and never reaches the server. Outgoing messages are signed with the server's
// passport key when an identity is given (only guarded clients accept signed messages: the SDK's
// strict JSON-RPC schemas refuse a top-level `mcps` member; over stdio use McpsStdioServerTransport).
import type { KeyObject } from 'node:crypto';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { CREDENTIAL_META_KEY } from '../credentials/call-credential.js';
import { checkCallCredential } from './call-credential.js';
import {
  readEnvelope,
  signMessage,
  verifyMessage,
  DEFAULT_WINDOW_SECONDS,
  type JsonRpcObject,
} from './envelope.js';
import { GuardError } from './errors.js';
import { GuardedTransport, isRequest } from './guarded-transport.js';
import { createReplayCache, type ReplayCache } from './replay-cache.js';
import {
  createSenderPassports,
  type PassportSource,
  type SenderPassports,
} from './sender-passports.js';
import type { GuardTrust } from './trust.js';

export interface GuardIdentity {
  passportId: string;
  privateKey: KeyObject;
}

export interface GuardServerOptions {
  /** Trusted TA keys and the revocation feed (a function when they are refreshed). */
  trust: GuardTrust | (() => GuardTrust);
  /** Where sender passports come from, e.g. passportsFromTa(url). */
  passports: PassportSource;
  /** This server's registered name (namespace/name): the `aud` of call credentials. */
  serverName: string;
  /** Minimum trust level of senders; default 2 (every TA passport has proof of possession). */
  minTrustLevel?: number;
  /** Whether a tools/call needs a per-call credential; default false. */
  requireCredential?: boolean | ((tool: string) => boolean);
  /** Signs outgoing messages with this passport's key. */
  identity?: GuardIdentity;
  windowSeconds?: number;
  replayCache?: ReplayCache;
  now?: () => Date;
  /** Called for each refused message. */
  onRefusal?(error: GuardError, message: JsonRpcObject): void;
}

export interface ServerGuard {
  /** Checks one incoming message; returns it without `mcps` (and without the credential), or throws a GuardError. */
  verifyIncoming(message: JsonRpcObject): Promise<JsonRpcObject>;
  /** Signs an outgoing message when an identity is configured. */
  signOutgoing(message: JsonRpcObject): JsonRpcObject;
  wrapTransport(transport: Transport): GuardedTransport;
}

const problemCode = {
  unsigned: 'envelope-missing',
  malformed: 'envelope-malformed',
  'bad-signature': 'envelope-signature-invalid',
  'high-s': 'envelope-signature-invalid',
  stale: 'envelope-stale',
  future: 'envelope-stale',
} as const;

/** The guard itself, independent of any SDK object (for tests, benchmarks and custom transports). */
export function createServerGuard(o: GuardServerOptions): ServerGuard {
  const trust = typeof o.trust === 'function' ? o.trust : () => o.trust as GuardTrust;
  const now = o.now ?? (() => new Date());
  const windowSeconds = o.windowSeconds ?? DEFAULT_WINDOW_SECONDS;
  const replay = o.replayCache ?? createReplayCache({ windowSeconds });
  const senders: SenderPassports = createSenderPassports({
    source: o.passports,
    trust,
    minTrustLevel: o.minTrustLevel ?? 2,
  });
  const needsCredential =
    typeof o.requireCredential === 'function'
      ? o.requireCredential
      : () => o.requireCredential === true;

  const verifyIncoming = async (message: JsonRpcObject): Promise<JsonRpcObject> => {
    const at = now();
    const env = readEnvelope(message);
    if (!env.ok) throw new GuardError(problemCode[env.problem], env.message);
    const sender = await senders.get(env.envelope.passport_id, at);
    const v = verifyMessage(message, { publicKey: sender.key, now: at, windowSeconds });
    if (!v.ok) throw new GuardError(problemCode[v.problem], v.message);
    if (
      !replay.checkAndRemember(
        env.envelope.passport_id,
        env.envelope.nonce,
        v.timestampMs,
        at.getTime(),
      )
    ) {
      throw new GuardError(
        'envelope-replayed',
        `nonce ${env.envelope.nonce} of passport ${env.envelope.passport_id} was already used: replay refused`,
      );
    }
    let out = v.message;
    if (out.method === 'tools/call') {
      const params = (out.params ?? {}) as { name?: unknown; _meta?: Record<string, unknown> };
      const tool = typeof params.name === 'string' ? params.name : '';
      const credential = params._meta?.[CREDENTIAL_META_KEY];
      if (needsCredential(tool) || credential !== undefined) {
        const t = trust();
        await checkCallCredential(credential, {
          keys: t.keys,
          revocations: t.revocations,
          audience: o.serverName,
          tool,
          passportId: env.envelope.passport_id,
          jkt: sender.jkt,
          now: at,
        });
      }
      if (credential !== undefined) {
        // The server's handler never sees the credential (it would end up in its logs).
        const { [CREDENTIAL_META_KEY]: _c, ...meta } = params._meta!;
        out = { ...out, params: { ...params, _meta: meta } };
      }
    }
    return out;
  };

  const signOutgoing = (message: JsonRpcObject): JsonRpcObject =>
    o.identity
      ? signMessage(message, {
          passportId: o.identity.passportId,
          privateKey: o.identity.privateKey,
          now: now(),
        })
      : message;

  const wrapTransport = (transport: Transport): GuardedTransport => {
    const guarded: GuardedTransport = new GuardedTransport(transport, {
      outgoing: async (m) => signOutgoing(m as JsonRpcObject) as JSONRPCMessage,
      incoming: async (m) => {
        try {
          return (await verifyIncoming(m as JsonRpcObject)) as JSONRPCMessage;
        } catch (err) {
          if (!(err instanceof GuardError)) throw err;
          o.onRefusal?.(err, m as JsonRpcObject);
          if (isRequest(m))
            await guarded.sendRaw(
              signOutgoing({
                jsonrpc: '2.0',
                id: m.id,
                error: err.toJsonRpcError(),
              }) as JSONRPCMessage,
            );
          // A refused notification or response is dropped: there is nobody to answer.
          return undefined;
        }
      },
    });
    return guarded;
  };
  return { verifyIncoming, signOutgoing, wrapTransport };
}

/** Anything with the SDK's `connect(transport)`: McpServer or Server. */
export interface Connectable {
  connect(transport: Transport): Promise<void>;
}

/**
 * Guards `server`: from now on `server.connect(transport)` connects through the guard. Returns
 * the guard (for its verifyIncoming, e.g. to check messages that arrive another way).
 */
export function guardServer<S extends Connectable>(
  server: S,
  options: GuardServerOptions,
): ServerGuard {
  const guard = createServerGuard(options);
  const connect = server.connect.bind(server);
  server.connect = (transport: Transport) => connect(guard.wrapTransport(transport));
  return guard;
}
