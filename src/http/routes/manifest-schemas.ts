// The response documents of the manifest routes: the manifest, its DSSE envelope, status and
// signature history (DESIGN.md §4 Registry, §6).
import { z } from '@hono/zod-openapi';
import { LogReceiptSchema } from '../log-receipt.js';
import { IsoDateTime } from '../schemas.js';

export const DsseEnvelopeSchema = z
  .object({
    payloadType: z.string().openapi({ example: 'application/vnd.mcps.manifest+json' }),
    payload: z.string().openapi({ description: 'Standard base64 of the JCS bytes of `manifest`' }),
    signatures: z.array(
      z.object({
        keyid: z.string(),
        sig: z.string().openapi({
          description:
            'base64 of the 64-byte low-S P1363 ES256 signature over PAE(payloadType, payload)',
        }),
      }),
    ),
  })
  .openapi('DsseEnvelope');

export const ManifestSchema = z
  .object({
    mcps_manifest_version: z.literal('1.0'),
    server: z.string(),
    version: z.string(),
    origin: z.string(),
    published_at: IsoDateTime,
    previous: z.object({ version: z.string(), digest: z.string() }).nullable(),
    tools: z.array(
      z.looseObject({
        name: z.string(),
        description: z.string().optional(),
        inputSchema: z.record(z.string(), z.unknown()),
        tool_hash: z.string(),
        tool_signature: z.string(),
      }),
    ),
    prompts: z.array(z.record(z.string(), z.unknown())),
    resources: z.array(z.record(z.string(), z.unknown())),
    server_signature: z
      .object({ keyid: z.string(), payload_type: z.string(), sig: z.string() })
      .optional(),
    server_json: z
      .looseObject({
        $schema: z.string(),
        name: z.string(),
        description: z.string(),
        version: z.string(),
      })
      .optional()
      .openapi({
        description:
          'The server.json `GET /v0.1/servers/…` serves for this version, fixed at publication (absent in versions published before it was signed)',
      }),
  })
  .openapi('Manifest');

export const StatusSchema = z
  .object({
    state: z.enum(['published', 'deprecated', 'yanked']),
    reason: z.string().nullable(),
    changed_at: IsoDateTime.nullable(),
    revocation_seq: z.number().int().nullable(),
    is_latest: z.boolean(),
  })
  .openapi('ManifestStatus');

export const SignatureHistorySchema = z
  .array(
    z.object({
      signatures: DsseEnvelopeSchema.shape.signatures,
      replaced_at: IsoDateTime,
      replaced_by: z
        .string()
        .openapi({ description: 'kid of the key whose signature replaced these' }),
      reason: z.string(),
    }),
  )
  .openapi('ManifestSignatureHistory', {
    description:
      'Earlier envelopes of the same payload (oldest first): signatures of revoked authority keys, replaced by the active key',
  });

export const ManifestResponse = z
  .object({
    manifest: ManifestSchema,
    digest: z.string().openapi({ example: `sha256:${'0'.repeat(64)}` }),
    envelope: DsseEnvelopeSchema,
    signature_history: SignatureHistorySchema,
    status: StatusSchema,
    log: LogReceiptSchema.optional().openapi({
      description:
        'On publish (when a version was created), deprecate and yank: the log event of this write',
    }),
  })
  .openapi('ManifestResponse');
