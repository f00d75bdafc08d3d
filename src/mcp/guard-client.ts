// guardClient: a host's MCP client (Client of @modelcontextprotocol/sdk) that talks only to a
// server the TA vouches for, and only through the tools the TA signed for it.
// - Before connecting: the server's passport and its pinned manifest verify (server-trust.ts).
// - At connect: the live tools/list (every page) is compared with the signed tools — every
//   member of every tool, and the set (nothing added, removed or renamed); any difference refuses
//   the connection (rug pull). Re-checked on notifications/tools/list_changed: until the check
//   ends calls wait; after a failed check every call is refused.
// - Every tools/list answer the host asks for is checked the same way before the host sees it
//   (a poisoned description must not reach the model either).
// - Each tools/call is refused before it is sent when the tool is not signed or its arguments do
//   not validate against the signed inputSchema (argument-contract.ts).
// - Optionally signs every outgoing message (MCPS envelope) with the agent's passport key,
//   attaches a per-call credential, and verifies the server's signed messages.
// The guard wraps the SDK Transport: the SDK's observers cannot block a message.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { CREDENTIAL_META_KEY } from '../credentials/call-credential.js';
import { compileArgumentContracts, type ArgumentContracts } from './argument-contract.js';
import { signMessage, verifyMessage, type JsonRpcObject } from './envelope.js';
import { GuardError } from './errors.js';
import type { GuardIdentity } from './guard-server.js';
import { GuardedTransport, isNotification, isRequest, isResponse } from './guarded-transport.js';
import { createReplayCache } from './replay-cache.js';
import { resolveServerTrust, type ServerTrustOptions, type TrustedServer } from './server-trust.js';
import {
  compareTool,
  compareToolSet,
  type LiveTool,
  type ToolSetProblem,
} from './tool-definition.js';
import type { GuardTrust } from './trust.js';

export interface GuardClientOptions extends ServerTrustOptions {
  trust: GuardTrust | (() => GuardTrust);
  /** Signs every outgoing message with this agent passport's key. */
  identity?: GuardIdentity;
  /** A per-call credential for a tool (e.g. from POST /v1/credentials); undefined: none attached. */
  credential?(tool: string): Promise<string | undefined>;
  /** Refuse server messages that are not MCPS-signed by the server's passport key; default false. */
  requireSignedServerMessages?: boolean;
  now?: () => Date;
  /** Called for each refusal (also thrown or returned to the caller). */
  onRefusal?(error: GuardError): void;
}

export interface ClientGuard {
  /** The verified server (passport, manifest, signed tools) once connected. */
  readonly server: TrustedServer | undefined;
  /** The refusal that closed the server to calls, if any. */
  readonly refusal: GuardError | undefined;
  /** Re-lists the tools and compares them with the signed manifest now. */
  recheck(): Promise<void>;
}

function problemError(p: ToolSetProblem, server: string): GuardError {
  switch (p.kind) {
    case 'unsigned':
      return new GuardError(
        'tool-unsigned',
        `${server} lists tool ${JSON.stringify(p.tool)}, which its signed manifest does not contain`,
        { tool: p.tool },
      );
    case 'removed':
      return new GuardError(
        'tool-removed',
        `${server} no longer lists the signed tool ${JSON.stringify(p.tool)}`,
        { tool: p.tool },
      );
    case 'changed':
      return new GuardError(
        'tool-definition-changed',
        `${server} changed tool ${JSON.stringify(p.tool)} since it was signed (${p.members.join(', ')}): refused`,
        { tool: p.tool, members: p.members },
      );
  }
}

/**
 * Guards `client`: `client.connect(transport)` then verifies the server before and after the
 * handshake and connects through the guard; it throws a GuardError (and closes) when refused.
 */
export function guardClient(client: Client, o: GuardClientOptions): ClientGuard {
  const trust = typeof o.trust === 'function' ? o.trust : () => o.trust as GuardTrust;
  const now = o.now ?? (() => new Date());
  const replay = createReplayCache();
  let server: TrustedServer | undefined;
  let contracts: ArgumentContracts | undefined;
  let refusal: GuardError | undefined;
  // Resolves when the tool list has been checked (at connect, after list_changed).
  let checked: Promise<void> = new Promise(() => {});
  const listIds = new Set<string | number>();

  const refuse = (err: GuardError): GuardError => {
    refusal ??= err;
    o.onRefusal?.(err);
    return err;
  };

  const recheck = async (): Promise<void> => {
    const live: LiveTool[] = [];
    let cursor: string | undefined;
    try {
      do {
        const page = await client.listTools(cursor ? { cursor } : undefined);
        live.push(...(page.tools as LiveTool[]));
        cursor = page.nextCursor;
      } while (cursor);
    } catch (err) {
      if (refusal) throw refusal;
      throw refuse(
        new GuardError(
          'tool-definition-changed',
          `cannot read the tool list of ${o.server}: ${(err as Error).message}`,
        ),
      );
    }
    const problems = compareToolSet(live, server!.tools);
    if (problems.length) throw refuse(problemError(problems[0]!, o.server));
  };

  const beforeCall = async (
    m: JSONRPCMessage & { params?: Record<string, unknown> },
  ): Promise<JSONRPCMessage> => {
    await checked;
    if (refusal) throw refusal;
    const t = trust();
    const revoked = t.revocations?.get('passport', server!.passport.passport_id);
    if (revoked)
      throw refuse(
        new GuardError(
          'server-passport-revoked',
          `the passport of ${o.server} was revoked (${revoked.reason})`,
        ),
      );
    if (t.revocations?.get('manifest', server!.manifest.digest))
      throw refuse(new GuardError('manifest-invalid', `the manifest of ${o.server} was yanked`));
    const params = m.params ?? {};
    const name = String(params.name);
    const signed = server!.tools.get(name);
    if (!signed)
      throw new GuardError(
        'tool-unsigned',
        `tool ${JSON.stringify(name)} is not in the signed manifest of ${o.server}: refused`,
        { tool: name },
      );
    const c = contracts!.check(name, params.arguments);
    if (!c.ok)
      throw new GuardError(
        'tool-arguments-invalid',
        `arguments of ${name} do not match its signed inputSchema: ${c.errors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
        { tool: name, errors: c.errors },
      );
    const credential = await o.credential?.(name);
    if (credential === undefined) return m;
    const meta = (params._meta ?? {}) as Record<string, unknown>;
    return {
      ...m,
      params: { ...params, _meta: { ...meta, [CREDENTIAL_META_KEY]: credential } },
    } as JSONRPCMessage;
  };

  const outgoing = async (m: JSONRPCMessage): Promise<JSONRPCMessage> => {
    let out = m;
    if (isRequest(m) && m.method === 'tools/call') out = await beforeCall(m);
    if (isRequest(m) && m.method === 'tools/list') listIds.add(m.id);
    if (o.identity)
      out = signMessage(out as JsonRpcObject, {
        passportId: o.identity.passportId,
        privateKey: o.identity.privateKey,
        now: now(),
      }) as unknown as JSONRPCMessage;
    return out;
  };

  const errorFor = (id: string | number, err: GuardError): JSONRPCMessage =>
    ({ jsonrpc: '2.0', id, error: err.toJsonRpcError() }) as JSONRPCMessage;

  const incoming = async (raw: JSONRPCMessage): Promise<JSONRPCMessage | undefined> => {
    let m = raw as JsonRpcObject;
    if (m.mcps !== undefined || o.requireSignedServerMessages) {
      const at = now();
      const env = m.mcps as { passport_id?: unknown; nonce?: string } | undefined;
      const v =
        server && env?.passport_id === server.passport.passport_id
          ? verifyMessage(m, { publicKey: server.key, now: at })
          : undefined;
      const ok =
        v?.ok === true &&
        replay.checkAndRemember(String(env!.passport_id), env!.nonce!, v.timestampMs, at.getTime());
      if (ok) m = v.message;
      else if (o.requireSignedServerMessages) {
        const err = refuse(
          new GuardError(
            'response-signature-invalid',
            `a message from ${o.server} is not signed by its passport key${v && !v.ok ? `: ${v.message}` : ''}`,
          ),
        );
        return isResponse(raw) ? errorFor(raw.id, err) : undefined;
      } else {
        // Not required: strip the envelope the SDK's strict schemas would refuse.
        const { mcps: _e, ...rest } = m;
        m = rest;
      }
    }
    const msg = m as JSONRPCMessage;
    if (isResponse(msg) && listIds.delete(msg.id) && 'result' in msg && server) {
      const tools = ((msg.result as { tools?: unknown }).tools ?? []) as LiveTool[];
      for (const tool of tools) {
        const p = compareTool(tool, server.tools.get(tool.name));
        if (p) return errorFor(msg.id, refuse(problemError(p, o.server)));
      }
    }
    if (isNotification(msg) && msg.method === 'notifications/tools/list_changed' && server) {
      checked = Promise.resolve()
        .then(recheck)
        .catch(() => {});
    }
    return msg;
  };

  const connect = client.connect.bind(client);
  client.connect = async (transport: Transport, options?: Parameters<Client['connect']>[1]) => {
    server = await resolveServerTrust(o, trust(), now());
    contracts = compileArgumentContracts(server.manifest.manifest.tools);
    const guarded = new GuardedTransport(transport, { outgoing, incoming });
    await connect(guarded, options);
    const first = recheck();
    checked = first.catch(() => {});
    try {
      await first;
    } catch (err) {
      await client.close().catch(() => {});
      throw err;
    }
  };

  return {
    get server() {
      return server;
    },
    get refusal() {
      return refusal;
    },
    recheck: () => {
      const r = recheck();
      checked = r.catch(() => {});
      return r;
    },
  };
}
