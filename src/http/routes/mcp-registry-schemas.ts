// The documents of the MCP Registry v0.1 API: an entry {server: server.json, _meta} with the
// official registry's metadata and ours under `_meta["dev.mcps-ta/trust"]`, and the list envelope.
import { z } from '@hono/zod-openapi';
import { OFFICIAL_META_KEY, TRUST_META_KEY } from '../../manifests/mcp-registry.js';
import { ServedServerJson } from '../../manifests/server-json-schema.js';
import { LogReceiptSchema } from '../log-receipt.js';
import { IsoDateTime } from '../schemas.js';

export const ServerResponse = z
  .object({
    server: ServedServerJson,
    _meta: z.object({
      [OFFICIAL_META_KEY]: z.object({
        status: z.enum(['active', 'deprecated', 'deleted']),
        statusMessage: z.string().optional(),
        statusChangedAt: IsoDateTime,
        publishedAt: IsoDateTime,
        updatedAt: IsoDateTime,
        isLatest: z.boolean(),
      }),
      [TRUST_META_KEY]: z.object({
        source: z.enum(['ta', 'mirror']).openapi({
          description:
            '`ta`: published and signed here; `mirror`: imported from another registry (unverified, unsigned, never a profile)',
        }),
        mirror_source: z.string().optional(),
        digest: z.string(),
        state: z.enum(['published', 'deprecated', 'yanked']),
        reason: z.string().nullable(),
        origin: z.string().nullable(),
        origin_proven: z.boolean().openapi({
          description:
            'True while the TA holds a current proof for `origin`: a namespace the publisher holds verified, or an admin approval of it for this server',
        }),
        manifest_url: z.string().nullable(),
        payload_type: z.string().nullable(),
        signatures: z.array(z.object({ keyid: z.string(), sig: z.string() })),
        previous: z.object({ version: z.string(), digest: z.string() }).nullable(),
        tool_count: z.number().int(),
        server_json_digest: z.string().openapi({
          description:
            '`sha256:` + hex SHA-256 of JCS(`server`): recompute it over the `server` object served, and compare with JCS of `server_json` in the signed manifest (`manifest_url`)',
        }),
        server_json_signed: z.boolean().openapi({
          description:
            'True when `server` is the `server_json` member of the signed manifest; false for versions published before server.json was signed (served from a snapshot fixed at upgrade)',
        }),
        verified: z.boolean().openapi({
          description: 'Same as verified_publisher; false for every mirrored (imported) entry',
        }),
        verified_publisher: z.boolean().openapi({
          description:
            "The server's namespace is verified (HTTP challenge or admin approval) and held by its publisher, now",
        }),
        signed_manifest: z.boolean(),
        server_signature: z.boolean().openapi({
          description:
            "The manifest carries a signature by the server passport's key, checked at publication",
        }),
        trust_level: z.number().int().nullable().openapi({
          description: "Trust level of the server's active passport, or null when it has none",
        }),
        capability_classes: z.array(
          z.enum(['read', 'write', 'execute', 'network', 'unclassified']),
        ),
        status: z.object({
          state: z.enum(['published', 'deprecated', 'yanked']),
          reason: z.string().nullable(),
          at: IsoDateTime,
        }),
        profile: z.enum(['Bronze', 'Silver', 'Gold']).nullable().openapi({
          description: 'Trust profile computed at this read (docs/registry.md, "Trust profiles")',
        }),
        log: LogReceiptSchema.optional().openapi({
          description: 'Only in the answer to a publish that created the version: its log event',
        }),
      }),
    }),
  })
  .openapi('McpRegistryServerResponse');

export const ServerList = z
  .object({
    servers: z.array(ServerResponse),
    metadata: z.object({ nextCursor: z.string().optional(), count: z.number().int() }),
  })
  .openapi('McpRegistryServerList');
