// Rotating an authority key from the admin UI: prepare a new key (pending), activate it (the
// active one of its purpose becomes retiring), retire a retiring key — each a confirmation step
// whose POST (CSRF-checked by the router) calls the same domain function as the API
// (POST /v1/authority/keys, …/{kid}/activate, …/{kid}/retire), audited as admin:<username>.
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../../../src/http/deps.js';
import {
  afterKeyChange,
  keyLifecycleContext,
} from '../../../src/http/routes/authority-keys.routes.js';
import type { AuthorityKeyRecord } from '../../../src/keys/authority-key.js';
import {
  activateAuthorityKey,
  prepareAuthorityKey,
  retireAuthorityKey,
} from '../../../src/keys/lifecycle.js';
import { findAuthorityKey } from '../../../src/keys/list.js';
import type { AdminEnv } from '../env.js';
import { confirmAction } from '../resource-pages.js';
import { StatusBadge } from '../ui/badge.js';
import type { DetailItem } from '../ui/detail-list.js';
import { issueFor, SelectField } from '../ui/form.js';
import { Id, Time } from '../ui/format.js';
import { keysHref } from './key-revoke.js';

const PURPOSES = ['passport-signing', 'issuing-ca'] as const;
const PURPOSE_LABELS: Record<(typeof PURPOSES)[number], string> = {
  'passport-signing': 'passport-signing — signs passports, anchors, manifests and feeds (ES256)',
  'issuing-ca': 'issuing-ca — a new intermediate CA under the root, issues certificates',
};
const prepareForm = z.object({ purpose: z.enum(PURPOSES, { error: 'choose a purpose' }) });

/** Activate is offered for pending keys, retire for retiring ones. */
export const activatable = (k: AuthorityKeyRecord) =>
  k.status === 'pending' && k.purpose !== 'root-ca';
export const retirable = (k: AuthorityKeyRecord) => k.status === 'retiring';

export function keyLifecycleRoutes(app: Hono<AdminEnv>, deps: AppDeps): void {
  const p = deps.persistence;
  const keyIn =
    (ok: (k: AuthorityKeyRecord) => boolean) =>
    async ({ kid }: Record<string, string>) => {
      const k = kid ? await findAuthorityKey(p, kid) : undefined;
      return k && ok(k) ? k : undefined;
    };
  const details = (k: AuthorityKeyRecord): DetailItem[] => [
    ['Key id (kid)', <Id value={k.kid} />],
    ['Purpose', k.purpose],
    ['Status', <StatusBadge status={k.status} />],
    ['Created', <Time value={k.createdAt} />],
    ['Not after', <Time value={k.notAfter} />],
  ];

  confirmAction<{ none: true }, z.output<typeof prepareForm>>(app, deps, {
    path: '/admin/keys/prepare',
    load: async () => ({ none: true }),
    title: () => 'Prepare a new authority key',
    question: () => (
      <>
        Generate a new key in state <strong>pending</strong>? Nothing is published or signed with it
        until you activate it. Its private key is sealed under the key-encryption key and never
        shown.
      </>
    ),
    confirmLabel: 'Prepare key',
    cancelHref: () => keysHref(),
    form: prepareForm,
    fields: (_x, values, issues) => (
      <SelectField
        name="purpose"
        label="Purpose"
        value={values.purpose}
        error={issueFor(issues, 'purpose')}
        options={[
          { value: '', label: 'choose…' },
          ...PURPOSES.map((x) => ({ value: x, label: PURPOSE_LABELS[x] })),
        ]}
      />
    ),
    run: async (c, _x, form) => {
      const key = await prepareAuthorityKey(
        p,
        keyLifecycleContext(deps, c.get('admin').principal),
        form.purpose,
      );
      return {
        redirect: keysHref(key.kid),
        notice: `Authority key ${key.kid} prepared (${form.purpose}, pending). Activate it to start using it.`,
      };
    },
  });

  confirmAction<AuthorityKeyRecord>(app, deps, {
    path: '/admin/keys/:kid/activate',
    load: keyIn(activatable),
    title: (k) => `Activate authority key ${k.kid}`,
    question: (k) => (
      <>
        Make <Id value={k.kid} /> the active {k.purpose} key? It signs everything new from now on;
        the key active now becomes <strong>retiring</strong> (still published, so what it signed
        keeps verifying), and a new trust-anchor version is published.
      </>
    ),
    details,
    confirmLabel: 'Activate key',
    cancelHref: (k) => keysHref(k.kid),
    run: async (c, k) => {
      await afterKeyChange(
        deps,
        await activateAuthorityKey(p, keyLifecycleContext(deps, c.get('admin').principal), k.kid),
      );
      return {
        redirect: keysHref(k.kid),
        notice: `Authority key ${k.kid} activated; the previous ${k.purpose} key is retiring.`,
      };
    },
  });

  confirmAction<AuthorityKeyRecord>(app, deps, {
    path: '/admin/keys/:kid/retire',
    load: keyIn(retirable),
    title: (k) => `Retire authority key ${k.kid}`,
    question: (k) => (
      <>
        Stop publishing <Id value={k.kid} />? Clients then no longer accept what it signed: retire a
        key only once nothing it signed is still relied on. A new trust-anchor version is published.
      </>
    ),
    details,
    confirmLabel: 'Retire key',
    cancelHref: (k) => keysHref(k.kid),
    run: async (c, k) => {
      await afterKeyChange(
        deps,
        await retireAuthorityKey(p, keyLifecycleContext(deps, c.get('admin').principal), k.kid),
      );
      return { redirect: keysHref(k.kid), notice: `Authority key ${k.kid} retired.` };
    },
  });
}
