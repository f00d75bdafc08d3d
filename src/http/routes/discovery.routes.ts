// GET /.well-known/mcps-trust-authority — the discovery document (DESIGN.md §4).
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { MANIFEST_PAYLOAD_TYPE } from '../../manifests/manifest.js';
import { ACCESS, defineRoute } from '../access.js';
import type { AppEnv } from '../context.js';
import type { AppDeps } from '../deps.js';
import { jsonResponse } from '../schemas.js';
import { validationHook } from '../validation.js';

const Discovery = z
  .object({
    issuer: z
      .string()
      .openapi({ description: 'The TA name: `issuer` of what it signs, `aud` of proofs' }),
    jwks_uri: z.string(),
    ca_uri: z.string(),
    anchors_uri: z.string(),
    crl_uri: z.string().openapi({
      description:
        'X.509 CRL of the active issuing CA, DER (PEM at the same URL + .pem); each CA generation has its own at `/v1/crl/{kid}`, named in the certificates it issued',
    }),
    ocsp_uri: z.string().openapi({ description: 'OCSP responder (RFC 6960), POST or GET' }),
    root_crl_uri: z
      .string()
      .openapi({ description: 'CRL of the root CA (revoked issuing CAs), DER' }),
    revocations_uri: z
      .string()
      .openapi({ description: 'Signed feed of every revocation; poll with `?since=`' }),
    webhooks_uri: z.string().openapi({ description: 'Register revocation webhooks (API token)' }),
    public_key_uri: z.string(),
    passport_status_uri: z
      .string()
      .openapi({ description: 'MCPS status document; template: replace {passport_id}' }),
    registry_uri: z.string().openapi({
      description: 'MCP Registry read API (v0.1), compatible with the official registry',
    }),
    namespaces_uri: z.string(),
    servers_uri: z.string(),
    manifest_uri: z
      .string()
      .openapi({ description: 'Template: a signed manifest by `{digest}` (sha256:<hex>)' }),
    manifest_payload_type: z.string(),
    audit_uri: z.string(),
    openapi_uri: z.string(),
    signing_alg_values_supported: z.array(z.string()),
    passport_signature_format: z.string(),
    canonicalization: z.string(),
  })
  .openapi('Discovery');

const route = defineRoute(ACCESS.public, {
  method: 'get',
  path: '/.well-known/mcps-trust-authority',
  tags: ['trust'],
  summary: 'Discovery document of this Trust Authority',
  responses: { 200: jsonResponse(Discovery, 'Discovery document') },
});

/** Endpoints appear here as they exist; clients treat absent members as unsupported. */
export function discoveryRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const base = deps.config.publicUrl;
  const document = {
    issuer: deps.config.taName,
    jwks_uri: `${base}/v1/trust/jwks`,
    ca_uri: `${base}/v1/trust/ca.pem`,
    anchors_uri: `${base}/v1/trust/anchors`,
    crl_uri: `${base}/v1/crl`,
    ocsp_uri: `${base}/v1/ocsp`,
    root_crl_uri: `${base}/v1/crl/root`,
    revocations_uri: `${base}/v1/revocations`,
    webhooks_uri: `${base}/v1/webhooks`,
    public_key_uri: `${base}/api/ta/public-key`,
    passport_status_uri: `${base}/api/verify/{passport_id}`,
    registry_uri: `${base}/v0.1/servers`,
    namespaces_uri: `${base}/v1/namespaces`,
    servers_uri: `${base}/v1/servers`,
    manifest_uri: `${base}/v1/manifests/{digest}`,
    manifest_payload_type: MANIFEST_PAYLOAD_TYPE,
    audit_uri: `${base}/v1/audit`,
    openapi_uri: `${base}/openapi.json`,
    signing_alg_values_supported: ['ES256'],
    passport_signature_format: 'base64(P1363 r||s, low-S) over RFC 8785 JCS',
    canonicalization: 'RFC8785',
  };
  app.openapi(route, (c) => {
    c.header('cache-control', 'public, max-age=300');
    return c.json(document, 200);
  });
  return app;
}
