// Per-call credentials (DESIGN.md §12): an agent proves possession of its active passport key
// (no API token: the signature is the authentication) and receives a short-lived ES256 JWT for
// one server and one or a few tools. Rate-limited per passport; counted in /metrics; audited as
// one aggregated event per passport per minute (src/credentials/issuance-audit.ts).
import { OpenAPIHono, z } from '@hono/zod-openapi';
import {
  createCredentialChallenge,
  issueCallCredential,
  RateLimitedError,
  type CredentialDeps,
} from '../../credentials/issue.js';
import { MAX_CREDENTIAL_TTL_SECONDS } from '../../credentials/call-credential.js';
import { PASSPORT_ID_PATTERN } from '../../passports/passport.js';
import { ACCESS, defineRoute } from '../access.js';
import type { AppEnv } from '../context.js';
import { problemResponse } from '../problem.js';
import { ERRORS, IsoDateTime, jsonBody, jsonResponse, ProblemSchema } from '../schemas.js';
import { validationHook } from '../validation.js';

const tags = ['credentials'];
const PassportId = z
  .string()
  .regex(PASSPORT_ID_PATTERN, 'must be a passport id (asp_ + 32 lowercase hex)');
const TooMany = {
  description: 'Rate limit of this passport reached; see Retry-After',
  content: { 'application/problem+json': { schema: ProblemSchema } },
};

const ChallengeRequest = z
  .strictObject({ passport_id: PassportId })
  .openapi('CredentialChallengeRequest');
const ChallengeResponse = z
  .object({
    nonce: z.string(),
    expires_at: IsoDateTime,
    aud: z.string().openapi({ description: 'The TA name: `aud` of the request proof' }),
  })
  .openapi('CredentialChallenge');

const CredentialRequest = z
  .strictObject({
    passport_id: PassportId,
    server: z.string().min(1).max(200).openapi({
      description: 'Registered server name (namespace/name): the `aud` of the credential',
      example: 'com.example/weather',
    }),
    tool: z
      .union([z.string(), z.array(z.string())])
      .openapi({ description: 'A tool name, or a list of 1–16 tool names' }),
    ttl_seconds: z
      .number()
      .int()
      .min(1)
      .max(MAX_CREDENTIAL_TTL_SECONDS)
      .optional()
      .openapi({ description: 'Lifetime, default 60 s, at most 300 s' }),
    proof: z.string().min(1).max(4096).openapi({
      description:
        'Compact JWS by the passport key: ES256, typ `mcps-credential-request+jwt`, payload {nonce (from /v1/credentials/challenge), aud (TA name), iat (seconds), passport_id, server, tool} — the same passport_id, server and tool as this body',
    }),
  })
  .openapi('CredentialRequest');
const CredentialResponse = z
  .object({
    credential: z.string().openapi({
      description: 'Compact JWT, typ `mcps-call+jwt`, signed by a key of /v1/trust/jwks',
    }),
    token_type: z.literal('mcps-call+jwt'),
    expires_at: IsoDateTime,
    jti: z.string(),
  })
  .openapi('CallCredential');

const challenge = defineRoute(ACCESS.public, {
  method: 'post',
  path: '/v1/credentials/challenge',
  signs: [],
  tags,
  summary:
    'A single-use nonce (valid 5 minutes) for a credential request by an active agent passport',
  request: jsonBody(ChallengeRequest),
  responses: {
    201: jsonResponse(ChallengeResponse, 'Nonce'),
    400: ERRORS[400],
    404: ERRORS[404],
    409: ERRORS[409],
    429: TooMany,
  },
});
const issue = defineRoute(ACCESS.public, {
  method: 'post',
  path: '/v1/credentials',
  signs: [],
  tags,
  summary:
    'A per-call credential: a short-lived JWT for one server and its named tools, bound to the passport key (cnf.jkt)',
  description:
    'No API token: the request is authenticated by `proof`, a JWS by the key of an active agent passport over a single-use nonce. The JWT carries iss (TA name), sub (passport_id), aud (server), tool, iat, exp (≤ 300 s, default 60 s), jti and cnf.jkt (RFC 7638 thumbprint of the passport key). A guarded MCP server accepts it only with a message signed by that key. Issuance is not audited one row per credential: one `credentials.issued` event per passport per minute carries the count.',
  request: jsonBody(CredentialRequest),
  responses: {
    201: jsonResponse(CredentialResponse, 'Issued'),
    400: ERRORS[400],
    404: ERRORS[404],
    409: ERRORS[409],
    429: TooMany,
  },
});

export function credentialRoutes(d: CredentialDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const limited = (c: Parameters<typeof problemResponse>[0], err: unknown) => {
    if (!(err instanceof RateLimitedError)) throw err;
    const res = problemResponse(c, err.code, err.message);
    res.headers.set('retry-after', String(err.retryAfterSeconds));
    return res as never;
  };

  app.openapi(challenge, async (c) => {
    try {
      const ch = await createCredentialChallenge(d, c.req.valid('json').passport_id);
      c.header('cache-control', 'no-store');
      return c.json(
        { nonce: ch.nonce, expires_at: ch.expiresAt.toISOString(), aud: d.issuer },
        201,
      );
    } catch (err) {
      return limited(c, err);
    }
  });

  app.openapi(issue, async (c) => {
    const b = c.req.valid('json');
    try {
      const { credential, claims } = await issueCallCredential(d, {
        passportId: b.passport_id,
        server: b.server,
        tool: b.tool,
        ttlSeconds: b.ttl_seconds,
        proof: b.proof,
      });
      c.header('cache-control', 'no-store');
      return c.json(
        {
          credential,
          token_type: 'mcps-call+jwt' as const,
          expires_at: new Date(claims.exp * 1000).toISOString(),
          jti: claims.jti,
        },
        201,
      );
    } catch (err) {
      return limited(c, err);
    }
  });
  return app;
}
