// Admin: the TA's own keys — list, prepare, activate, retire, revoke (authority key rotation).
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AuthorityKeyRecord } from '../../keys/authority-key.js';
import { listAuthorityKeys } from '../../keys/list.js';
import {
  activateAuthorityKey,
  AUTHORITY_KEY_REVOCATION_REASONS,
  prepareAuthorityKey,
  retireAuthorityKey,
  revokeAuthorityKey,
  type KeyLifecycleContext,
} from '../../keys/lifecycle.js';
import { revokeCertificatesIssuedBy } from '../../wiring/keys-to-certificates.js';
import { actorOf } from '../../auth/principal.js';
import { ACCESS, defineRoute } from '../access.js';
import { LogReceiptSchema, logMember } from '../log-receipt.js';
import type { AppEnv } from '../context.js';
import type { AppDeps } from '../deps.js';
import { ERRORS, IsoDateTime, jsonBody, jsonResponse, RESOURCE_ERRORS } from '../schemas.js';
import { validationHook } from '../validation.js';

const Key = z
  .object({
    kid: z.string(),
    purpose: z.enum(['passport-signing', 'root-ca', 'issuing-ca', 'log-signing']),
    status: z.enum(['pending', 'active', 'retiring', 'retired', 'revoked']),
    algorithm: z.enum(['ES256', 'Ed25519']),
    public_jwk: z.object({
      kty: z.string(),
      crv: z.string(),
      x: z.string(),
      y: z.string().optional(),
    }),
    certificate_pem: z.string().nullable(),
    created_at: IsoDateTime,
    not_after: IsoDateTime.nullable(),
  })
  .openapi('AuthorityKey');

const kidParam = z.object({
  kid: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, 'must be an RFC 7638 thumbprint')
    .openapi({ param: { name: 'kid', in: 'path' } }),
});
const errors = {
  ...RESOURCE_ERRORS,
  409: ERRORS[409],
};

const list = defineRoute(ACCESS.admin, {
  method: 'get',
  path: '/v1/authority/keys',
  tags: ['authority'],
  summary: "The TA's keys and their states (never private material)",
  responses: {
    200: jsonResponse(z.object({ items: z.array(Key) }), 'Keys'),
    401: ERRORS[401],
    403: ERRORS[403],
  },
});
const prepare = defineRoute(ACCESS.admin, {
  method: 'post',
  path: '/v1/authority/keys',
  signs: [],
  tags: ['authority'],
  summary: 'Prepare a new passport-signing key or issuing intermediate (state pending)',
  request: jsonBody(
    z
      .object({ purpose: z.enum(['passport-signing', 'issuing-ca']) })
      .openapi('PrepareAuthorityKey'),
  ),
  responses: { 201: jsonResponse(Key, 'Prepared'), ...errors },
});
const action = (verb: 'activate' | 'retire', summary: string) =>
  defineRoute(ACCESS.admin, {
    method: 'post',
    path: `/v1/authority/keys/{kid}/${verb}`,
    signs: [],
    tags: ['authority'],
    summary,
    request: { params: kidParam },
    responses: {
      200: jsonResponse(Key, 'Done; a new trust-anchor version is published'),
      ...errors,
    },
  });
const activate = action(
  'activate',
  'Activate a pending key; the active one of that purpose becomes retiring',
);
const retire = action('retire', 'Stop publishing a retiring key');
const Effects = z
  .object({
    revoked: z.object({
      passports: z
        .number()
        .int()
        .openapi({ description: 'Passports revoked with the key (signed by it)' }),
      certificates: z
        .number()
        .int()
        .openapi({ description: 'Certificates revoked with the key (issued by it)' }),
      issuing_cas: z
        .number()
        .int()
        .openapi({ description: 'Issuing CAs revoked (1 for an issuing-CA key)' }),
    }),
    re_signed: z.object({
      manifests: z.number().int().openapi({
        description:
          'Manifest versions whose envelope is re-signed by the active key (same payload and digest)',
      }),
    }),
  })
  .openapi('KeyRevocationEffects');
const RevokedKey = Key.extend({
  dry_run: z.boolean().openapi({
    description: 'True: a preview; nothing was changed and `status` is the current one',
  }),
  effects: Effects,
  log: LogReceiptSchema.optional().openapi({
    description: 'The log event of the revocation (absent for a dry run)',
  }),
}).openapi('AuthorityKeyRevocation');
const revoke = defineRoute(ACCESS.admin, {
  method: 'post',
  path: '/v1/authority/keys/{kid}/revoke',
  signs: [],
  tags: ['authority'],
  summary:
    'Revoke a compromised (non-active) authority key, or preview what that would revoke and re-sign',
  description:
    'With `dry_run=1` the revocation runs in a transaction that is rolled back: the response counts, by kind, what would be revoked and which manifests would be re-signed, and nothing changes (no key state, feed entry, audit event or anchors version).',
  request: {
    params: kidParam,
    query: z.object({
      dry_run: z
        .enum(['1', '0', 'true', 'false'])
        .optional()
        .openapi({
          param: { name: 'dry_run', in: 'query' },
          description: '1 or true: preview only',
        }),
    }),
    ...jsonBody(
      z.object({ reason: z.enum(AUTHORITY_KEY_REVOCATION_REASONS) }).openapi('RevokeAuthorityKey'),
    ),
  },
  responses: {
    200: jsonResponse(RevokedKey, 'Revoked, or what a revocation would do (dry_run)'),
    ...errors,
  },
});

function keyJson(k: AuthorityKeyRecord) {
  return {
    kid: k.kid,
    purpose: k.purpose,
    status: k.status,
    algorithm: k.algorithm,
    public_jwk: k.publicJwk,
    certificate_pem: k.certificatePem,
    created_at: k.createdAt.toISOString(),
    not_after: k.notAfter?.toISOString() ?? null,
  };
}

/** The key lifecycle's context for `principal` (the API's and the admin UI's). */
export function keyLifecycleContext(
  deps: AppDeps,
  principal: Parameters<typeof actorOf>[0],
): KeyLifecycleContext {
  return {
    taName: deps.config.taName,
    kek: deps.kek,
    keyring: deps.keyring,
    publicUrl: deps.config.publicUrl,
    actor: actorOf(principal),
    revokeCertificatesIssuedBy,
  };
}

/** After a key state change on this instance: reload the keyring, refresh the CRL. */
export async function afterKeyChange<T>(deps: AppDeps, result: T): Promise<T> {
  await deps.keyring.reload();
  // A revoked intermediate may have taken certificates with it: publish a fresh CRL.
  deps.certificates.crl.requestRefresh();
  return result;
}

export function authorityKeyRoutes(deps: AppDeps) {
  const p = deps.persistence;
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const ctx = (c: { get(k: 'principal'): Parameters<typeof actorOf>[0] }): KeyLifecycleContext =>
    keyLifecycleContext(deps, c.get('principal'));
  const after = <T>(result: T) => afterKeyChange(deps, result);

  app.openapi(list, async (c) => c.json({ items: (await listAuthorityKeys(p)).map(keyJson) }, 200));
  app.openapi(prepare, async (c) =>
    c.json(keyJson(await prepareAuthorityKey(p, ctx(c), c.req.valid('json').purpose)), 201),
  );
  app.openapi(activate, async (c) =>
    c.json(
      keyJson(await after(await activateAuthorityKey(p, ctx(c), c.req.valid('param').kid))),
      200,
    ),
  );
  app.openapi(retire, async (c) =>
    c.json(
      keyJson(await after(await retireAuthorityKey(p, ctx(c), c.req.valid('param').kid))),
      200,
    ),
  );
  app.openapi(revoke, async (c) => {
    const dryRun = ['1', 'true'].includes(c.req.valid('query').dry_run ?? '');
    const outcome = await revokeAuthorityKey(
      p,
      ctx(c),
      c.req.valid('param').kid,
      c.req.valid('json').reason,
      { dryRun },
    );
    if (!dryRun) await after(outcome);
    // A dry run appended nothing that committed, so it has no receipt.
    const log = dryRun
      ? {}
      : await logMember(deps, 'authority_key.revoked', `authority_key:${outcome.key.kid}`);
    return c.json(
      { ...keyJson(outcome.key), dry_run: outcome.dryRun, effects: outcome.effects, ...log },
      200,
    );
  });
  return app;
}
