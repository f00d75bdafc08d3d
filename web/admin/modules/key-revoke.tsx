// Revoking an authority key from the admin UI, with its preview: the confirmation page runs the
// API's dry run (revokeAuthorityKey with dryRun — a rolled-back transaction) and shows, counted by
// kind, what the revocation will take down and which manifests will be re-signed, before the admin
// chooses a reason and confirms. The POST (CSRF-checked by the router) does the real revocation
// through the same domain function as POST /v1/authority/keys/{kid}/revoke.
import type { Hono } from 'hono';
import { z } from 'zod';
import { TaError } from '../../../src/errors.js';
import type { AppDeps } from '../../../src/http/deps.js';
import {
  afterKeyChange,
  keyLifecycleContext,
} from '../../../src/http/routes/authority-keys.routes.js';
import type { AuthorityKeyRecord } from '../../../src/keys/authority-key.js';
import {
  AUTHORITY_KEY_REVOCATION_REASONS,
  revokeAuthorityKey,
  type AuthorityKeyRevocationReason,
} from '../../../src/keys/lifecycle.js';
import { findAuthorityKey } from '../../../src/keys/list.js';
import type { KeyRevocationEffects } from '../../../src/keys/revocation-effects.js';
import type { AdminEnv } from '../env.js';
import { confirmAction } from '../resource-pages.js';
import { StatusBadge } from '../ui/badge.js';
import type { DetailItem } from '../ui/detail-list.js';
import { issueFor, SelectField } from '../ui/form.js';
import { Id } from '../ui/format.js';

const LABELS: Record<AuthorityKeyRevocationReason, string> = {
  keyCompromise: 'keyCompromise — the private key was exposed or stolen',
  cACompromise: 'cACompromise — the CA key was exposed or stolen',
  affiliationChanged: 'affiliationChanged — the TA changed owner or name',
  superseded: 'superseded — replaced by another key',
  cessationOfOperation: 'cessationOfOperation — the key is no longer operated',
  unspecified: 'unspecified',
};

const reasonForm = z.object({
  reason: z.enum(AUTHORITY_KEY_REVOCATION_REASONS, { error: 'choose a reason' }),
});

interface KeyWithPreview {
  key: AuthorityKeyRecord;
  /** What the revocation would do now; absent when the domain refuses it (with `refusal`). */
  effects?: KeyRevocationEffects;
  refusal?: string;
}

export const keysHref = (kid?: string) => (kid ? `/admin/keys#key-${kid}` : '/admin/keys');

/** A key can be offered for revocation unless it is the root CA or already revoked. */
export function revocable(k: AuthorityKeyRecord): boolean {
  return k.purpose !== 'root-ca' && k.status !== 'revoked';
}

function Effects({ e }: { e: KeyRevocationEffects }) {
  return (
    <table class="effects">
      <caption>What this revocation does (dry run, nothing changed yet)</caption>
      <thead>
        <tr>
          <th scope="col">Kind</th>
          <th scope="col">Count</th>
          <th scope="col">What happens</th>
        </tr>
      </thead>
      <tbody>
        <tr id="effect-passports">
          <td>Passports</td>
          <td>{e.revoked.passports}</td>
          <td>revoked (cACompromise after a key compromise); holders request new ones</td>
        </tr>
        <tr id="effect-certificates">
          <td>Certificates</td>
          <td>{e.revoked.certificates}</td>
          <td>revoked; listed in the CRL and OCSP</td>
        </tr>
        <tr id="effect-issuing-cas">
          <td>Issuing CAs</td>
          <td>{e.revoked.issuing_cas}</td>
          <td>revoked</td>
        </tr>
        <tr id="effect-manifests">
          <td>Manifests</td>
          <td>{e.re_signed.manifests}</td>
          <td>
            re-signed by the active key (same payload and digest; the old envelope is kept in
            history)
          </td>
        </tr>
      </tbody>
    </table>
  );
}

export function keyRevokeRoutes(app: Hono<AdminEnv>, deps: AppDeps): void {
  const p = deps.persistence;
  confirmAction<KeyWithPreview, z.output<typeof reasonForm>>(app, deps, {
    path: '/admin/keys/:kid/revoke',
    load: async ({ kid }, c) => {
      const key = kid ? await findAuthorityKey(p, kid) : undefined;
      if (!key || !revocable(key)) return undefined;
      try {
        const ctx = keyLifecycleContext(deps, c.get('admin').principal);
        const preview = await revokeAuthorityKey(p, ctx, key.kid, 'unspecified', { dryRun: true });
        return { key, effects: preview.effects };
      } catch (err) {
        if (err instanceof TaError) return { key, refusal: err.message };
        throw err;
      }
    },
    title: ({ key }) => `Revoke authority key ${key.kid}`,
    question: ({ key, refusal }) =>
      refusal ? (
        <>This key cannot be revoked now: {refusal}</>
      ) : (
        <>
          Revoke the {key.purpose} key <Id value={key.kid} />? It is listed as revoked in a new
          trust-anchor version at once, with everything below. This cannot be undone. See the{' '}
          <a href="/admin/keys#runbook">key-compromise runbook</a> (README.md § Key compromise) for
          what comes before and after.
        </>
      ),
    details: ({ key, effects }): DetailItem[] => [
      ['Purpose', key.purpose],
      ['Status', <StatusBadge status={key.status} />],
      ...(effects ? [['Effects', <Effects e={effects} />] satisfies DetailItem] : []),
    ],
    confirmLabel: 'Revoke authority key',
    cancelHref: ({ key }) => keysHref(key.kid),
    form: reasonForm,
    fields: (_x, values, issues) => (
      <SelectField
        name="reason"
        label="Reason (RFC 5280)"
        value={values.reason}
        error={issueFor(issues, 'reason')}
        options={[
          { value: '', label: 'choose…' },
          ...AUTHORITY_KEY_REVOCATION_REASONS.map((r) => ({ value: r, label: LABELS[r] })),
        ]}
      />
    ),
    run: async (c, { key }, form) => {
      const done = await revokeAuthorityKey(
        p,
        keyLifecycleContext(deps, c.get('admin').principal),
        key.kid,
        form.reason,
      );
      await afterKeyChange(deps, done);
      const e = done.effects;
      return {
        redirect: keysHref(key.kid),
        notice:
          `Authority key ${key.kid} revoked (${form.reason}): ${e.revoked.passports} passports, ${e.revoked.certificates} certificates and ` +
          `${e.revoked.issuing_cas} issuing CAs revoked; ${e.re_signed.manifests} manifests re-signed.`,
      };
    },
  });
}
