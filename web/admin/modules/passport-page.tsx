// A passport's page: what it certifies, its state, and its key-continuity chain (DESIGN.md §7)
// with the result of checking every link offline, from the first key, as a client would.
import type { Hono } from 'hono';
import { NotFoundError } from '../../../src/errors.js';
import type { AppDeps } from '../../../src/http/deps.js';
import { passportDepsOf } from '../../../src/http/passport-deps.js';
import { verifyKeyContinuityChain } from '../../../src/passports/chain-verify.js';
import {
  effectiveState,
  PASSPORT_ID_PATTERN,
  type PassportRecord,
} from '../../../src/passports/passport.js';
import { findPassportRecord, getChain, listLineagePassports } from '../../../src/passports/read.js';
import type { AdminEnv } from '../env.js';
import { detailPage, type LinkAction } from '../resource-pages.js';
import { StatusBadge } from '../ui/badge.js';
import { Id, Time } from '../ui/format.js';
import { Table } from '../ui/table.js';
import { passportHref, Subject, TrustLevel } from './passport-table.js';
import { PublisherLink } from '../ui/publisher-link.js';

async function ChainSection({ deps, record }: { deps: AppDeps; record: PassportRecord }) {
  const chain = await getChain(passportDepsOf(deps), record.passportId).catch((err: unknown) => {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  });
  if (!chain) return <p>This passport has no key-continuity chain.</p>;
  const [records, check] = await Promise.all([
    listLineagePassports(deps.persistence, record.lineageId),
    verifyKeyContinuityChain(chain.links, {
      firstKey: chain.links[0]!.public_key,
      taKeyFor: (kid) => deps.keyring.publicKeyFor(kid),
      issuer: deps.config.taName,
    }),
  ]);
  const stateOf = new Map(
    records.map((r) => [r.passportId, effectiveState(r, deps.persistence.clock.now())]),
  );
  return (
    <section aria-labelledby="chain-heading">
      <h2 id="chain-heading">Key-continuity chain</h2>
      {check.ok ? (
        <div class="alert alert-ok" role="status">
          <p>
            <StatusBadge status="ok" label="chain verified" /> All {check.links} links check out
            from the first key: each rotation is signed by the previous key and proven by the new
            one, and every link is countersigned by this TA.
          </p>
        </div>
      ) : (
        <div class="alert alert-error" role="alert">
          <p>
            <StatusBadge status="broken" label="chain broken" /> Link {check.seq} fails:{' '}
            {check.reason}.
          </p>
        </div>
      )}
      <Table
        caption={`Key-continuity chain of identity ${chain.identity}, oldest first`}
        rows={chain.links}
        rowId={(l) => `link-${l.seq}`}
        empty="No links."
        columns={[
          { header: 'Seq', numeric: true, cell: (l) => l.seq },
          { header: 'Event', cell: (l) => l.event },
          {
            header: 'Passport',
            cell: (l) =>
              l.passport_id === record.passportId ? (
                <>
                  <Id value={l.passport_id} /> <strong>(this passport)</strong>
                </>
              ) : (
                <a href={passportHref(l.passport_id)}>
                  <Id value={l.passport_id} />
                </a>
              ),
          },
          {
            header: 'State',
            cell: (l) => <StatusBadge status={stateOf.get(l.passport_id) ?? 'unknown'} />,
          },
          { header: 'Key id (kid)', cell: (l) => <Id value={l.kid} /> },
          {
            header: 'Previous key',
            cell: (l) => (l.previous_kid ? <Id value={l.previous_kid} /> : '—'),
          },
          { header: 'At', cell: (l) => <Time value={new Date(l.at)} /> },
        ]}
      />
      <p>
        Clients verify this chain offline from{' '}
        <a href={`/v1/passports/${record.passportId}/chain`}>
          /v1/passports/{record.passportId}/chain
        </a>
        .
      </p>
    </section>
  );
}

function actionsOf(r: PassportRecord, now: Date): LinkAction[] {
  const actions: LinkAction[] = [];
  const state = effectiveState(r, now);
  if (state === 'active' && r.trustLevel < 4 && r.subjectType !== 'issuer') {
    actions.push({
      href: `${passportHref(r.passportId)}/approve`,
      label: 'Approve for trust level 4…',
    });
  }
  if (r.state !== 'revoked')
    actions.push({ href: `${passportHref(r.passportId)}/revoke`, label: 'Revoke…', danger: true });
  return actions;
}

export function passportDetailRoute(app: Hono<AdminEnv>, deps: AppDeps): void {
  const p = deps.persistence;
  app.get(
    '/admin/passports/:id',
    detailPage<PassportRecord>(deps, {
      load: async (id) => (PASSPORT_ID_PATTERN.test(id) ? findPassportRecord(p, id) : undefined),
      title: (r) => `Passport ${r.passportId}`,
      fields: (r) => [
        ['State', <StatusBadge status={effectiveState(r, p.clock.now())} />],
        ['Passport id', <Id value={r.passportId} />],
        [
          'Subject',
          <>
            {r.subjectType}: <Subject r={r} />
          </>,
        ],
        ['Publisher', <PublisherLink deps={deps} id={r.publisherId} />],
        ['Trust level', <TrustLevel level={r.trustLevel} />],
        ['Key id (kid)', <Id value={r.kid} />],
        [
          'Capabilities',
          r.document.agent.capabilities.length ? (
            <ul class="inline">
              {r.document.agent.capabilities.map((x) => (
                <li>
                  <code>{x}</code>
                </li>
              ))}
            </ul>
          ) : (
            '—'
          ),
        ],
        ['Origin', r.document.origin ?? '—'],
        ['Issued', <Time value={r.issuedAt} />],
        ['Expires', <Time value={r.expiresAt} />],
        [
          'Revoked',
          r.revokedAt ? (
            <>
              <Time value={r.revokedAt} /> — reason <strong>{r.revocationReason}</strong>
            </>
          ) : (
            '—'
          ),
        ],
        [
          'Superseded by',
          r.supersededBy ? (
            <a href={passportHref(r.supersededBy)}>
              <Id value={r.supersededBy} />
            </a>
          ) : (
            '—'
          ),
        ],
        [
          'L4 approval',
          r.approvalSeq ? (
            <a href={`/admin/audit?before=${r.approvalSeq + 1}#seq-${r.approvalSeq}`}>
              audit event {r.approvalSeq}
            </a>
          ) : (
            '—'
          ),
        ],
        [
          'Documents',
          <ul class="inline">
            <li>
              <a href={`/v1/passports/${r.passportId}`}>passport (JSON)</a>
            </li>
            <li>
              <a href={`/api/verify/${r.passportId}`}>signed status</a>
            </li>
          </ul>,
        ],
      ],
      actions: (r) => actionsOf(r, p.clock.now()),
      sections: (r) => <ChainSection deps={deps} record={r} />,
    }),
  );
}
