// X.509 certificates: issue from a PKCS#10 CSR, read with status, renew, revoke (DESIGN.md §4.1).
import { OpenAPIHono, z } from '@hono/zod-openapi';
import {
  statusOf,
  REVOCATION_REASONS,
  type CertificateRecord,
} from '../../certificates/certificate.js';
import { MAX_CERTIFICATE_VALIDITY_DAYS } from '../../certificates/authority.js';
import { issueCertificate, renewCertificate } from '../../certificates/issue.js';
import { getCertificate } from '../../certificates/read.js';
import { revokeCertificate } from '../../certificates/revoke.js';
import { MAX_CSR_PEM_LENGTH } from '../../crypto/x509/csr.js';
import { ACCESS, defineRoute } from '../access.js';
import { LogReceiptSchema, logMember } from '../log-receipt.js';
import type { AppEnv } from '../context.js';
import type { AppDeps } from '../deps.js';
import { ERRORS, IsoDateTime, jsonBody, jsonResponse, RESOURCE_ERRORS } from '../schemas.js';
import { validationHook } from '../validation.js';

const Csr = z.string().min(1).max(MAX_CSR_PEM_LENGTH).openapi({
  description: 'PKCS#10 request, PEM. Keys: EC P-256, P-384 or RSA ≥ 3072; SHA-2 signature',
});
const ValidityDays = z
  .number()
  .int()
  .min(1)
  .max(MAX_CERTIFICATE_VALIDITY_DAYS)
  .optional()
  .openapi({
    description: `Validity in days (default configured, 7 unless set; at most ${MAX_CERTIFICATE_VALIDITY_DAYS})`,
  });

const IssueRequest = z
  .object({
    csr: Csr,
    profile: z.enum(['server', 'client']).openapi({
      description:
        'server: EKU serverAuth, SAN = origin host; client: EKU clientAuth, SAN URI urn:mcps:passport:<id>',
    }),
    subject: z.string().min(1).max(256).optional().openapi({
      description:
        'server: a registered server name of the caller (com.example/weather). client: a passport id of the caller; may be left out when the CSR key is the passport key',
    }),
    validity_days: ValidityDays,
  })
  .openapi('IssueCertificate');
const RenewRequest = z
  .object({ csr: Csr, validity_days: ValidityDays })
  .openapi('RenewCertificate');
const RevokeRequest = z
  .object({
    reason: z
      .enum(REVOCATION_REASONS)
      .openapi({ description: 'RFC 5280 §5.3.1 CRLReason, camelCase' }),
  })
  .openapi('RevokeCertificate');

const CertificateView = z
  .object({
    serial: z
      .string()
      .openapi({ description: 'Lowercase hex', example: '5f0c3a9e0d1b4c7a8e2f6b1d3c5a7e90' }),
    profile: z.enum(['server', 'client']),
    subject: z.string(),
    passport_id: z.string().nullable(),
    publisher_id: z.string(),
    status: z.enum(['valid', 'revoked', 'expired']),
    sans: z.array(z.string()),
    key_type: z.string(),
    not_before: IsoDateTime,
    not_after: IsoDateTime,
    revoked_at: IsoDateTime.nullable(),
    revocation_reason: z.enum([...REVOCATION_REASONS, 'cACompromise']).nullable(),
    renewed_from: z.string().nullable(),
    created_at: IsoDateTime,
    certificate: z.string().openapi({ description: 'The certificate, PEM' }),
    links: z.object({
      self: z.string(),
      passport: z.string().optional(),
      server: z.string().optional(),
      crl: z.string(),
      ocsp: z.string(),
    }),
    log: LogReceiptSchema.optional().openapi({
      description: 'On issue, renew and revoke: the log event of this write',
    }),
  })
  .openapi('Certificate');
const IssuedView = CertificateView.extend({
  chain: z.string().openapi({ description: 'Issuing CA then root, PEM' }),
}).openapi('IssuedCertificate');

const serialParams = z.object({
  serial: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'serial', in: 'path' }, description: 'Serial in hex' }),
});

const issue = defineRoute(ACCESS.publisher, {
  method: 'post',
  path: '/v1/certificates',
  signs: ['certificate'],
  tags: ['certificates'],
  summary: 'Issue a certificate from a CSR for a server or passport of the caller',
  request: jsonBody(IssueRequest),
  responses: {
    201: jsonResponse(IssuedView, 'Issued'),
    400: ERRORS[400],
    401: ERRORS[401],
    403: ERRORS[403],
    409: ERRORS[409],
  },
});
const get = defineRoute(ACCESS.anyToken, {
  method: 'get',
  path: '/v1/certificates/{serial}',
  tags: ['certificates'],
  summary: 'A certificate with its status (admin, or a token of the owning publisher)',
  request: { params: serialParams },
  responses: {
    200: jsonResponse(CertificateView, 'The certificate'),
    ...RESOURCE_ERRORS,
  },
});
const renew = defineRoute(ACCESS.publisher, {
  method: 'post',
  path: '/v1/certificates/{serial}/renew',
  signs: ['certificate'],
  tags: ['certificates'],
  summary:
    'Renew: a new certificate for the same subject from a new CSR (the old one stays valid until expiry)',
  request: { params: serialParams, ...jsonBody(RenewRequest) },
  responses: {
    201: jsonResponse(IssuedView, 'Issued'),
    ...RESOURCE_ERRORS,
    409: ERRORS[409],
  },
});
const revoke = defineRoute(ACCESS.publisher, {
  method: 'post',
  path: '/v1/certificates/{serial}/revoke',
  signs: [],
  tags: ['certificates'],
  summary: 'Revoke a certificate (owner or admin); CRL and OCSP reflect it within a second',
  request: { params: serialParams, ...jsonBody(RevokeRequest) },
  responses: {
    200: jsonResponse(CertificateView, 'Revoked'),
    ...RESOURCE_ERRORS,
  },
});

export function certificateRoutes(deps: AppDeps) {
  const ctx = deps.certificates;
  const base = ctx.authority.publicUrl;
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  const view = (c: CertificateRecord) => ({
    serial: c.serial,
    profile: c.profile,
    subject: c.subject,
    passport_id: c.passportId,
    publisher_id: c.publisherId,
    status: statusOf(c, deps.persistence.clock.now()),
    sans: c.sans,
    key_type: c.keyType,
    not_before: c.notBefore.toISOString(),
    not_after: c.notAfter.toISOString(),
    revoked_at: c.revokedAt?.toISOString() ?? null,
    revocation_reason: c.revocationReason,
    renewed_from: c.renewedFrom,
    created_at: c.createdAt.toISOString(),
    certificate: c.pem,
    links: {
      self: `${base}/v1/certificates/${c.serial}`,
      ...(c.passportId ? { passport: `${base}/v1/passports/${c.passportId}` } : {}),
      ...(c.profile === 'server' ? { server: `${base}/v1/servers/${c.subject}` } : {}),
      crl: ctx.authority.urls.crl(c.issuerKid),
      ocsp: ctx.authority.ocspUrl,
    },
  });

  app.openapi(issue, async (c) => {
    const body = c.req.valid('json');
    const issued = await issueCertificate(ctx, c.get('principal'), {
      csr: body.csr,
      profile: body.profile,
      subject: body.subject,
      validityDays: body.validity_days,
    });
    const log = await logMember(deps, 'certificate.issued', `certificate:${issued.record.serial}`);
    return c.json({ ...view(issued.record), chain: issued.chainPem, ...log }, 201);
  });

  app.openapi(get, async (c) => {
    const record = await getCertificate(ctx, c.get('principal'), c.req.valid('param').serial);
    return c.json(view(record), 200);
  });

  app.openapi(renew, async (c) => {
    const body = c.req.valid('json');
    const issued = await renewCertificate(ctx, c.get('principal'), c.req.valid('param').serial, {
      csr: body.csr,
      validityDays: body.validity_days,
    });
    const log = await logMember(deps, 'certificate.renewed', `certificate:${issued.record.serial}`);
    return c.json({ ...view(issued.record), chain: issued.chainPem, ...log }, 201);
  });

  app.openapi(revoke, async (c) => {
    const record = await revokeCertificate(
      ctx,
      c.get('principal'),
      c.req.valid('param').serial,
      c.req.valid('json').reason,
    );
    return c.json(
      {
        ...view(record),
        ...(await logMember(deps, 'certificate.revoked', `certificate:${record.serial}`)),
      },
      200,
    );
  });

  return app;
}
