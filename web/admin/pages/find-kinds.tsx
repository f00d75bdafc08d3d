// What "Find" searches by name (pages/find.tsx): each kind asks its domain list function with
// the admin's principal, at most a few hits per kind, names first and ids as secondary text.
import type { Child } from 'hono/jsx';
import { listAgents } from '../../../src/agents/agent.js';
import { listCertificates } from '../../../src/certificates/list.js';
import type { AppDeps } from '../../../src/http/deps.js';
import { listManifests } from '../../../src/manifests/list.js';
import { manifestOf } from '../../../src/manifests/manifest.js';
import { listPassports } from '../../../src/passports/list.js';
import { listNamespaces } from '../../../src/registry/namespace-read.js';
import { listPublishers, listServers } from '../../../src/registry/read.js';
import type { Principal } from '../../../src/auth/principal.js';
import { certificateHref } from '../modules/certificate-table.js';
import { manifestHref } from '../modules/manifest-links.js';
import { passportHref, serverHref } from '../modules/passport-table.js';
import { Id } from '../ui/format.js';

/** One thing found: what it is called, where its page is, and what identifies it besides. */
export interface FindHit {
  label: Child;
  href: string;
  secondary?: Child;
}

/** A kind of thing "Find" searches by free text (name, SAN, tool name…). */
export interface FindKind {
  /** Plural heading of the group, e.g. "Agents". */
  kind: string;
  search(deps: AppDeps, principal: Principal, q: string, limit: number): Promise<FindHit[]>;
}

export const FIND_KINDS: FindKind[] = [
  {
    kind: 'Passports',
    search: async (deps, principal, q, limit) =>
      (await listPassports(deps.persistence, principal, { search: q, limit })).items.map((r) => ({
        label: `${r.subjectType} ${r.subjectName}`,
        href: passportHref(r.passportId),
        secondary: (
          <>
            <Id value={r.passportId} /> · {r.state}
          </>
        ),
      })),
  },
  {
    kind: 'Certificates',
    search: async (deps, principal, q, limit) =>
      (await listCertificates(deps.persistence, principal, { search: q, limit })).items.map(
        (c) => ({
          label: `${c.profile} certificate for ${c.sans.join(', ') || c.subject}`,
          href: certificateHref(c.serial),
          secondary: (
            <>
              serial <Id value={c.serial} /> · {c.subject}
            </>
          ),
        }),
      ),
  },
  {
    kind: 'Agents',
    search: async (deps, principal, q, limit) =>
      (await listAgents(deps.persistence, principal, { search: q, limit })).map((a) => ({
        label: a.name,
        href: `/admin/agents/${a.id}`,
        secondary: <Id value={a.id} />,
      })),
  },
  {
    kind: 'Servers',
    search: async (deps, _principal, q, limit) =>
      (await listServers(deps.persistence, { search: q, limit })).items.map((s) => ({
        label: s.name,
        href: serverHref(s.name),
        secondary: s.origin,
      })),
  },
  {
    kind: 'Manifests',
    search: async (deps, _principal, q, limit) =>
      (await listManifests(deps.persistence, { search: q, limit })).items.map((m) => {
        const tools = manifestOf(m).tools.map((t) => t.name);
        const named = tools.filter((t) => t === q);
        return {
          label: `${m.serverName}@${m.version}`,
          href: manifestHref(m),
          secondary: (
            <>
              {named.length ? <>tool {named[0]} · </> : null}
              <Id value={m.digest} />
            </>
          ),
        };
      }),
  },
  {
    kind: 'Namespaces',
    search: async (deps, principal, q, limit) =>
      (await listNamespaces(deps.persistence, principal, { search: q, limit })).map((n) => ({
        label: n.namespace,
        href: `/admin/namespaces/${encodeURIComponent(n.namespace)}`,
        secondary: n.status,
      })),
  },
  {
    kind: 'Publishers',
    search: async (deps, _principal, q, limit) =>
      (await listPublishers(deps.persistence, { search: q, limit })).items.map((x) => ({
        label: x.name,
        href: `/admin/publishers/${x.id}`,
        secondary: <Id value={x.id} />,
      })),
  },
];
