// Revoking a certificate after a confirmation step, with an RFC 5280 reason, through the API's
// domain function (so the audit event and the revocation-feed entry are the API's, attributed
// to admin:<username>).
import type { Hono } from 'hono';
import type {
  REVOCATION_REASONS,
  CertificateRecord,
} from '../../../src/certificates/certificate.js';
import { revokeCertificate } from '../../../src/certificates/revoke.js';
import type { AppDeps } from '../../../src/http/deps.js';
import type { AdminEnv } from '../env.js';
import { confirmAction } from '../resource-pages.js';
import { ReasonField, reasonForm } from '../ui/revocation-reason.js';
import { Id, Time } from '../ui/format.js';
import { findCertificate } from './certificate-page.js';
import {
  certificateHref,
  CertificateStatusBadge,
  CertificateSubject,
  Profile,
} from './certificate-table.js';

/** RFC 5280 §5.3.1 reasons a leaf may be revoked for, with what each means for a certificate. */
export function certificateActionRoutes(app: Hono<AdminEnv>, deps: AppDeps): void {
  const p = deps.persistence;
  confirmAction<CertificateRecord, { reason: (typeof REVOCATION_REASONS)[number] }>(app, deps, {
    path: '/admin/certificates/:serial/revoke',
    load: ({ serial }) => findCertificate(deps, serial),
    title: (c) => `Revoke certificate ${c.serial}`,
    question: (c) => (
      <>
        Revoke certificate <Id value={c.serial} />? OCSP answers revoked at once, the next CRL (
        <code>/v1/crl</code>) lists it within moments, and the signed revocation feed carries it.
        For keyCompromise, every passport and certificate carrying the same key is revoked with it.
        This cannot be undone.
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
    form: reasonForm,
    fields: (_c, values, issues) => (
      <ReasonField
        noun="certificate"
        subject="server or agent"
        value={values.reason}
        issues={issues}
      />
    ),
    run: async (c, r, form) => {
      const after = await revokeCertificate(
        deps.certificates,
        c.get('admin').principal,
        r.serial,
        form.reason,
      );
      // Revoking twice keeps the first reason and time (revokeCertificate), also when someone else was first.
      const notice =
        r.revokedAt || after.revocationReason !== form.reason
          ? `Certificate ${r.serial} was already revoked (${after.revocationReason}).`
          : `Certificate ${r.serial} revoked (${form.reason}).`;
      return { redirect: certificateHref(r.serial), notice };
    },
  });
}
