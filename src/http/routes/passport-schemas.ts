// Request and response schemas of the passport routes (DESIGN.md §4.1, §5, §7).
import { z } from '@hono/zod-openapi';
import { LogReceiptSchema } from '../log-receipt.js';
import {
  MAX_CAPABILITIES,
  PASSPORT_ID_PATTERN,
  RECORDED_REVOCATION_REASONS,
  REVOCATION_REASONS,
} from '../../passports/passport.js';
import { MAX_TTL_DAYS } from '../../passports/records.js';
import { IsoDateTime } from '../schemas.js';

export const PassportIdParam = z.object({
  id: z
    .string()
    .regex(PASSPORT_ID_PATTERN, 'must be a passport id (asp_ + 32 lowercase hex)')
    .openapi({
      param: { name: 'id', in: 'path' },
      example: 'asp_3f9c0a6e4b1d4f2a8c7e5d1b0a9f8e7d',
    }),
});
export const McpsPassportIdParam = z.object({
  passport_id: PassportIdParam.shape.id.openapi({ param: { name: 'passport_id', in: 'path' } }),
});

/** The JWK is checked by the domain (P-256, on the curve, no private part), with precise errors. */
const PublicJwkInput = z
  .object({
    kty: z.string(),
    crv: z.string().optional(),
    x: z.string().optional(),
    y: z.string().optional(),
  })
  .loose()
  .openapi('PublicJwkInput', { description: 'P-256 public JWK: kty "EC", crv "P-256", x, y' });
const Jws = (description: string) => z.string().min(1).max(4096).openapi({ description });
const Capabilities = z.array(z.string().min(1).max(128)).max(MAX_CAPABILITIES);
const TtlDays = z.number().int().min(1).max(MAX_TTL_DAYS);

export const ChallengeSchema = z
  .object({
    nonce: z.string().openapi({ description: '32 random bytes, base64url; single use' }),
    expires_at: IsoDateTime,
    aud: z.string().openapi({ description: 'What proofs must carry as `aud`: the TA name' }),
  })
  .openapi('PassportChallenge');

export const IssueRequest = z
  .object({
    subject_type: z.enum(['agent', 'server']),
    name: z.string().min(1).max(256).openapi({
      description:
        'Agent name (created on first use) or a registered server of the caller, e.g. com.example/weather',
    }),
    version: z.string().min(1).max(64).optional(),
    capabilities: Capabilities.optional(),
    origin: z.string().max(255).nullable().optional(),
    public_key: PublicJwkInput,
    proof: Jws('Compact JWS by public_key: typ mcps-pop+jwt, ES256, payload {nonce, aud, iat}'),
    ttl_days: TtlDays.optional(),
    publisher_id: z
      .string()
      .optional()
      .openapi({ description: 'Admins: the publisher the passport is for' }),
  })
  .openapi('IssuePassport');

export const IssuerRequest = z
  .object({
    publisher_id: z.string(),
    name: z.string().min(1).max(256),
    capabilities: Capabilities.optional().openapi({
      description: 'Capabilities passports under the issuer may carry (mcps:issue is added)',
    }),
    origin: z.string().max(255).nullable().openapi({
      description: 'Origin or pattern bounding the issuer, e.g. https://*.example.com',
    }),
    max_trust_level: z.number().int().min(2).max(4),
    public_key: PublicJwkInput,
    proof: Jws(
      'Compact JWS by public_key over a challenge (the publisher may make it and hand it to the admin)',
    ),
    ttl_days: TtlDays.optional(),
  })
  .openapi('CreateDelegatedIssuer');

export const RotateRequest = z
  .object({
    public_key: PublicJwkInput,
    proof: Jws('Compact JWS by the NEW key: typ mcps-pop+jwt, payload {nonce, aud, iat}'),
    rotation: Jws(
      'Compact JWS by the OLD key: typ mcps-rotation+jwt, payload {passport_id, new_kid, nonce (same as proof), iat}',
    ),
    ttl_days: TtlDays.optional(),
  })
  .openapi('RotatePassport');

export const RevokeRequest = z
  .object({ reason: z.enum(REVOCATION_REASONS) })
  .openapi('RevokePassport');
export const ApproveRequest = z
  .object({ note: z.string().max(1000).optional() })
  .openapi('ApprovePassport');

const Jwk = z.object({ kty: z.string(), crv: z.string(), x: z.string(), y: z.string() });
export const PassportDocumentSchema = z
  .object({
    mcps_version: z.string(),
    passport_id: z.string(),
    agent: z.object({ name: z.string(), version: z.string(), capabilities: z.array(z.string()) }),
    public_key: Jwk,
    origin: z.string().nullable(),
    scan: z.null(),
    trust_level: z.number().int(),
    issued_at: IsoDateTime,
    expires_at: IsoDateTime,
    issuer: z.string(),
    issuer_chain: z.array(z.string()),
    key_rotation: z.object({ previous_key_hash: z.string(), rotated_at: IsoDateTime }).optional(),
    subject_type: z.enum(['agent', 'server', 'issuer']),
    issuer_kid: z.string(),
    signature: z.string().openapi({
      description:
        'base64 of the 64-byte low-S P1363 ES256 signature over JCS(passport without signature)',
    }),
  })
  .openapi('McpsPassport');

export const PassportView = z
  .object({
    passport: PassportDocumentSchema,
    status: z.enum(['active', 'superseded', 'revoked', 'expired']),
    passport_id: z.string(),
    identity: z
      .string()
      .openapi({ description: 'passport_id of the first passport of its key-continuity chain' }),
    subject_type: z.enum(['agent', 'server', 'issuer']),
    subject_name: z.string(),
    trust_level: z.number().int(),
    kid: z.string(),
    issued_at: IsoDateTime,
    expires_at: IsoDateTime,
    revoked_at: IsoDateTime.nullable(),
    revocation_reason: z.enum(RECORDED_REVOCATION_REASONS).nullable(),
    superseded_by: z.string().nullable(),
    log: LogReceiptSchema.optional().openapi({
      description: 'On issue, rotate and revoke: the log event of this write',
    }),
  })
  .openapi('Passport');

const ChainLinkSchema = z
  .object({
    mcps_chain_version: z.string(),
    issuer: z.string(),
    identity: z.string(),
    seq: z.number().int(),
    event: z.enum(['issued', 'rotated', 'reissued']),
    passport_id: z.string(),
    kid: z.string(),
    public_key: Jwk,
    previous_passport_id: z.string().nullable(),
    previous_kid: z.string().nullable(),
    at: IsoDateTime,
    rotation: z.string().nullable(),
    proof: z.string().nullable(),
    issuer_kid: z.string(),
    signature: z.string(),
  })
  .openapi('KeyContinuityLink');

export const ChainSchema = z
  .object({
    identity: z.string(),
    current_passport_id: z.string(),
    current_kid: z.string(),
    links: z.array(ChainLinkSchema),
  })
  .openapi('KeyContinuityChain');

export const VerifyRequest = z
  .object({ passport: z.record(z.string(), z.unknown()) })
  .openapi('VerifyPassport');
export const VerifyResult = z
  .object({
    valid: z.boolean(),
    passport_id: z.string().nullable(),
    trust_level: z.number().int().nullable(),
    chain: z
      .array(z.string())
      .openapi({ description: 'passport_ids of the issuer chain, direct issuer first' }),
    problem: z.string().nullable(),
    message: z.string().nullable(),
    depth: z.number().int().nullable(),
  })
  .openapi('PassportVerification');

const ReasonOrNull = z.enum(RECORDED_REVOCATION_REASONS).nullable();
export const StatusDocumentSchema = z
  .object({
    issuer: z.string(),
    passport_id: z.string(),
    status: z.enum(['VALID', 'REVOKED', 'EXPIRED', 'UNKNOWN']),
    reason: ReasonOrNull,
    revocation_reason: ReasonOrNull,
    revoked_at: IsoDateTime.nullable(),
    trust_level: z.number().int().nullable(),
    issued_at: IsoDateTime.nullable(),
    expires_at: IsoDateTime.nullable(),
    checked_at: IsoDateTime,
    next_update: IsoDateTime,
    issuer_kid: z.string(),
    signature: z.string(),
  })
  .openapi('McpsStatusDocument');

export const RevocationListSchema = z
  .object({
    issuer: z.string(),
    this_update: IsoDateTime,
    next_update: IsoDateTime,
    revoked: z.array(
      z.object({
        passport_id: z.string(),
        revoked_at: IsoDateTime,
        reason: z.enum(RECORDED_REVOCATION_REASONS),
        revocation_reason: z.enum(RECORDED_REVOCATION_REASONS),
      }),
    ),
    version: z.number().int().openapi({
      description:
        'MCPS draft CRL document: grows with every revocation (the revocation feed seq when the list was made)',
    }),
    published_at: IsoDateTime.openapi({
      description: 'MCPS draft CRL document: when the list was made (= this_update)',
    }),
    entries: z
      .array(
        z.object({
          passport_id: z.string(),
          revoked_at: IsoDateTime,
          reason: z.enum(RECORDED_REVOCATION_REASONS),
        }),
      )
      .openapi({
        description: 'MCPS draft CRL document: the revoked passports, in the draft members',
      }),
    issuer_kid: z.string(),
    signature: z.string(),
  })
  .openapi('McpsRevocationList');
