// Actions on a passport, each after a confirmation step and through the API's domain functions
// (so the audit event is the API's, attributed to admin:<username>): revoke with an RFC 5280
// reason, and an admin audit approval that re-issues the passport at trust level 4.
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../../../src/http/deps.js';
import { passportDepsOf } from '../../../src/http/passport-deps.js';
import { approvePassport } from '../../../src/passports/approve.js';
import {
  effectiveState,
  PASSPORT_ID_PATTERN,
  type PassportRecord,
  type RevocationReason,
} from '../../../src/passports/passport.js';
import { findPassportRecord } from '../../../src/passports/read.js';
import { revokePassport } from '../../../src/passports/revoke.js';
import type { AdminEnv } from '../env.js';
import { confirmAction } from '../resource-pages.js';
import { ReasonField, reasonForm } from '../ui/revocation-reason.js';
import { StatusBadge } from '../ui/badge.js';
import type { DetailItem } from '../ui/detail-list.js';
import { issueFor, TextField } from '../ui/form.js';
import { Id, Time } from '../ui/format.js';
import { passportHref, Subject, TrustLevel } from './passport-table.js';

/** RFC 5280 §5.3.1 reasons, with what each means for a passport. */
export const APPROVAL_NOTE_MAX = 1000;

export function passportActionRoutes(app: Hono<AdminEnv>, deps: AppDeps): void {
  const p = deps.persistence;
  const load = async ({ id }: Record<string, string>) =>
    id && PASSPORT_ID_PATTERN.test(id) ? findPassportRecord(p, id) : undefined;
  const details = (r: PassportRecord): DetailItem[] => [
    [
      'Subject',
      <>
        {r.subjectType}: <Subject r={r} />
      </>,
    ],
    ['State', <StatusBadge status={effectiveState(r, p.clock.now())} />],
    ['Trust level', <TrustLevel level={r.trustLevel} />],
    ['Expires', <Time value={r.expiresAt} />],
  ];

  confirmAction<PassportRecord, { reason: RevocationReason }>(app, deps, {
    path: '/admin/passports/:id/revoke',
    load,
    title: (r) => `Revoke passport ${r.passportId}`,
    question: (r) => (
      <>
        Revoke passport <Id value={r.passportId} />? Its status (
        <code>/api/verify/{r.passportId}</code>) answers REVOKED at once, and every passport it
        issued fails verification. The certificates bound to it are revoked with it, for the same
        reason; for keyCompromise, so is every other passport and certificate carrying its key. This
        cannot be undone.
      </>
    ),
    details,
    confirmLabel: 'Revoke passport',
    cancelHref: (r) => passportHref(r.passportId),
    form: reasonForm,
    fields: (_r, values, issues) => (
      <ReasonField
        noun="passport"
        subject="agent or server"
        value={values.reason}
        issues={issues}
      />
    ),
    run: async (c, r, form) => {
      const after = await revokePassport(
        passportDepsOf(deps),
        c.get('admin').principal,
        r.passportId,
        form.reason,
      );
      const notice =
        r.state === 'revoked'
          ? `Passport ${r.passportId} was already revoked (${after.revocationReason}).`
          : `Passport ${r.passportId} revoked (${form.reason}).`;
      return { redirect: passportHref(r.passportId), notice };
    },
  });

  confirmAction<PassportRecord, { note: string }>(app, deps, {
    path: '/admin/passports/:id/approve',
    load,
    title: (r) => `Approve passport ${r.passportId} for trust level 4`,
    question: (r) => (
      <>
        Record your audit approval of <Id value={r.passportId} />? The passport is re-issued at
        trust level 4 — same key, same expiry — and this one becomes superseded. Your approval is
        kept in the audit log and carried to later rotations of this identity.
      </>
    ),
    details,
    confirmLabel: 'Approve for trust level 4',
    cancelHref: (r) => passportHref(r.passportId),
    form: z.object({
      note: z
        .string()
        .trim()
        .max(APPROVAL_NOTE_MAX, `at most ${APPROVAL_NOTE_MAX} characters`)
        .default(''),
    }),
    fields: (_r, values, issues) => (
      <TextField
        name="note"
        label="What you audited (optional)"
        hint="Kept in the audit log with your approval, e.g. a review ticket."
        value={values.note}
        error={issueFor(issues, 'note')}
        maxlength={APPROVAL_NOTE_MAX}
      />
    ),
    run: async (c, r, form) => {
      const approved = await approvePassport(
        passportDepsOf(deps),
        c.get('admin').principal,
        r.passportId,
        { note: form.note || undefined },
      );
      return {
        redirect: passportHref(approved.passportId),
        notice: `Approved: passport ${approved.passportId} issued at trust level 4; ${r.passportId} is superseded.`,
      };
    },
  });
}
