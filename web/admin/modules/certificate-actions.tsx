// Revoking a certificate after a confirmation step, with an RFC 5280 reason, through the API's
// domain function (so the audit event and the revocation-feed entry are the API's, attributed
// to admin:<username>).
import type { Hono } from 'hono';
import { z } from 'zod';
import { REVOCATION_REASONS, type CertificateRecord } from '../../../src/certificates/certificate.js';
import { revokeCertificate } from '../../../src/certificates/revoke.js';
import type { AppDeps } from '../../../src/http/deps.js';
import type { AdminEnv } from '../env.js';
import { confirmAction } from '../resource-pages.js';
import { issueFor, SelectField } from '../ui/form.js';
import { Id, Time } from '../ui/format.js';
import { findCertificate } from './certificate-page.js';
import { certificateHref, CertificateStatusBadge, CertificateSubject, Profile } from './certificate-table.js';

/** RFC 5280 §5.3.1 reasons a leaf may be revoked for, with what each means for a certificate. */
const REASON_LABELS: Record<(typeof REVOCATION_REASONS)[number], string> = {
  unspecified: 'unspecified',
  keyCompromise: 'keyCompromise — the private key was exposed or stolen',
  affiliationChanged: 'affiliationChanged — the subject changed owner or name',
  superseded: 'superseded — replaced by another certificate',
  cessationOfOperation: 'cessationOfOperation — the server or agent is shut down',
  privilegeWithdrawn: 'privilegeWithdrawn — it may no longer be used',
};

export function certificateActionRoutes(app: Hono<AdminEnv>, deps: AppDeps): void {
  const p = deps.persistence;
  confirmAction<CertificateRecord, { reason: (typeof REVOCATION_REASONS)[number] }>(app, deps, {
    path: '/admin/certificates/:serial/revoke',
    load: ({ serial }) => findCertificate(deps, serial),
    title: (c) => `Revoke certificate ${c.serial}`,
    question: (c) => (
      <>
        Revoke certificate <Id value={c.serial} />? OCSP answers revoked at once, the next CRL (<code>/v1/crl</code>) lists it within
        moments, and the signed revocation feed carries it. This cannot be undone.
      </>
    ),
    details: (c) => [
      ['Subject', <CertificateSubject c={c} />],
      ['Profile', <Profile profile={c.profile} />],
      ['Status', <CertificateStatusBadge c={c} now={p.clock.now()} />],
      ['Not after', <Time value={c.notAfter} />],
    ],
    confirmLabel: 'Revoke certificate',
    cancelHref: (c) => certificateHref(c.serial),
    form: z.object({ reason: z.enum(REVOCATION_REASONS, { error: 'choose a reason' }) }),
    fields: (_c, values, issues) => (
      <SelectField
        name="reason"
        label="Reason (RFC 5280)"
        value={values.reason}
        error={issueFor(issues, 'reason')}
        options={[{ value: '', label: 'choose…' }, ...REVOCATION_REASONS.map((x) => ({ value: x, label: REASON_LABELS[x] }))]}
      />
    ),
    run: async (c, r, form) => {
      const after = await revokeCertificate(deps.certificates, c.get('admin').principal, r.serial, form.reason);
      // Revoking twice keeps the first reason and time (revokeCertificate), also when someone else was first.
      const notice = r.revokedAt || after.revocationReason !== form.reason
        ? `Certificate ${r.serial} was already revoked (${after.revocationReason}).`
        : `Certificate ${r.serial} revoked (${form.reason}).`;
      return { redirect: certificateHref(r.serial), notice };
    },
  });
}
