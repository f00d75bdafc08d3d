// The RFC 5280 reason choice of every revoke form (passports, certificates): one list, one wording.
import { z } from 'zod';
import {
  REVOCATION_REASONS,
  type RequestableRevocationReason,
} from '../../../src/crypto/x509/reason-code.js';
import type { FieldIssue } from '../../../src/errors.js';
import { issueFor, SelectField } from './form.js';

/** The form of a revoke confirmation: one required reason. */
export const reasonForm = z.object({
  reason: z.enum(REVOCATION_REASONS, { error: 'choose a reason' }),
});

function labels(noun: string, subject: string): Record<RequestableRevocationReason, string> {
  return {
    unspecified: 'unspecified',
    keyCompromise: 'keyCompromise — the private key was exposed or stolen',
    affiliationChanged: 'affiliationChanged — the subject changed owner or name',
    superseded: `superseded — replaced by another ${noun}`,
    cessationOfOperation: `cessationOfOperation — the ${subject} is shut down`,
    privilegeWithdrawn: 'privilegeWithdrawn — it may no longer be used',
  };
}

/** The reason select, labelled, with its error. `noun` is what is revoked ("passport", "certificate"). */
export function ReasonField(p: {
  noun: string;
  subject: string;
  value: string | undefined;
  issues: FieldIssue[] | undefined;
}) {
  const text = labels(p.noun, p.subject);
  return (
    <SelectField
      name="reason"
      label="Reason (RFC 5280)"
      value={p.value}
      error={issueFor(p.issues, 'reason')}
      options={[
        { value: '', label: 'choose…' },
        ...REVOCATION_REASONS.map((x) => ({ value: x, label: text[x] })),
      ]}
    />
  );
}
