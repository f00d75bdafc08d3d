// Webhook subscriptions (every owner's) and their newest deliveries: status, attempts, the last
// answer and when the next attempt is due. A pending delivery is retried with back-off on its
// own; a dead letter (failed after its last attempt) has a Retry action, the API's
// POST /v1/webhooks/{id}/deliveries/{seq}/retry (same domain function, audited).
import { NotFoundError } from '../../../src/errors.js';
import {
  findDelivery,
  listDeliveries,
  listWebhooks,
  getWebhook,
  retryDelivery,
  webhookExists,
} from '../../../src/webhooks/subscriptions.js';
import {
  WEBHOOK_ID_PATTERN,
  type WebhookDelivery,
  type WebhookSubscription,
} from '../../../src/webhooks/webhook.js';
import type { AppDeps } from '../../../src/http/deps.js';
import type { AdminModule } from '../module.js';
import { renderPage } from '../render.js';
import { confirmAction } from '../resource-pages.js';
import { StatusBadge } from '../ui/badge.js';
import { DetailList } from '../ui/detail-list.js';
import { Id, Time } from '../ui/format.js';
import { PublisherLink } from '../ui/publisher-link.js';
import { Table } from '../ui/table.js';

const DELIVERIES = 25;
const TONE: Record<string, string> = {
  delivered: 'ok',
  failed: 'broken',
  pending: 'pending',
  cancelled: 'retired',
};

export const webhookHref = (id: string) => `/admin/webhooks/${id}`;

function Owner({ deps, w }: { deps: AppDeps; w: WebhookSubscription }) {
  return w.publisherId ? (
    <PublisherLink deps={deps} id={w.publisherId} />
  ) : (
    <span>this TA (admins)</span>
  );
}

const retryHref = (id: string, seq: number) => `/admin/webhooks/${id}/deliveries/${seq}/retry`;

function DeliveryTable({ id, rows }: { id: string; rows: WebhookDelivery[] }) {
  return (
    <Table
      caption={`Newest deliveries (up to ${DELIVERIES})`}
      rows={rows}
      empty="Nothing delivered yet."
      columns={[
        { header: 'Revocation seq', numeric: true, cell: (d) => d.revocationSeq },
        {
          header: 'Status',
          cell: (d) => <StatusBadge status={TONE[d.status] ?? d.status} label={d.status} />,
        },
        { header: 'Attempts', numeric: true, cell: (d) => d.attempts },
        {
          header: 'Last answer',
          cell: (d) => (d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : (d.lastError ?? '—')),
        },
        { header: 'Last attempt', cell: (d) => <Time value={d.lastAttemptAt} /> },
        {
          header: 'Next attempt',
          cell: (d) => (d.status === 'pending' ? <Time value={d.nextAttemptAt} /> : '—'),
        },
        {
          header: 'Action',
          cell: (d) =>
            d.status === 'failed' ? <a href={retryHref(id, d.revocationSeq)}>Retry</a> : '—',
        },
      ]}
    />
  );
}

export const webhooksModule: AdminModule = {
  nav: { href: '/admin/webhooks', label: 'Webhooks' },
  finders: [
    {
      pattern: WEBHOOK_ID_PATTERN,
      resolve: async (deps, q) =>
        (await webhookExists(deps.persistence, q)) ? webhookHref(q) : undefined,
    },
  ],
  register(app, deps) {
    const p = deps.persistence;
    confirmAction<{ webhook: WebhookSubscription; delivery: WebhookDelivery }>(app, deps, {
      path: '/admin/webhooks/:id/deliveries/:seq/retry',
      load: async ({ id, seq }, c) => {
        if (!id || !WEBHOOK_ID_PATTERN.test(id) || !/^[1-9][0-9]{0,15}$/.test(seq ?? ''))
          return undefined;
        return findDelivery(p, c.get('admin').principal, id, Number(seq));
      },
      title: ({ delivery }) => `Retry delivery of revocation ${delivery.revocationSeq}`,
      question: ({ webhook, delivery }) => (
        <>
          Send revocation {delivery.revocationSeq} to <code>{webhook.url}</code> again? It starts a
          fresh series of attempts with the same back-off; the retry is in the audit log.
        </>
      ),
      details: ({ delivery }) => [
        [
          'Status',
          <StatusBadge status={TONE[delivery.status] ?? delivery.status} label={delivery.status} />,
        ],
        ['Attempts', String(delivery.attempts)],
        [
          'Last answer',
          delivery.lastStatusCode ? `HTTP ${delivery.lastStatusCode}` : (delivery.lastError ?? '—'),
        ],
      ],
      confirmLabel: 'Retry delivery',
      cancelHref: ({ webhook }) => webhookHref(webhook.id),
      run: async (c, { webhook, delivery }) => {
        await retryDelivery(p, c.get('admin').principal, webhook.id, delivery.revocationSeq);
        return {
          redirect: webhookHref(webhook.id),
          notice: `Delivery of revocation ${delivery.revocationSeq} queued again.`,
        };
      },
    });
    app.get('/admin/webhooks', async (c) => {
      const subs = await listWebhooks(p, c.get('admin').principal);
      return renderPage(c, deps, {
        title: 'Webhooks',
        body: (
          <>
            <p>
              Subscriptions to the revocation feed. A failed delivery is retried with backoff until
              it succeeds or the deliverer gives up (status failed, a dead letter); a dead letter
              can be retried from its webhook's page.
            </p>
            <Table
              caption="Webhook subscriptions"
              rows={subs}
              rowId={(w) => w.id}
              empty="No webhook subscriptions."
              columns={[
                { header: 'URL', cell: (w) => <a href={webhookHref(w.id)}>{w.url}</a> },
                { header: 'Owner', cell: (w) => <Owner deps={deps} w={w} /> },
                {
                  header: 'Kinds',
                  cell: (w) => (w.kinds.length ? w.kinds.join(', ') : 'every kind'),
                },
                { header: 'Description', cell: (w) => w.description ?? '—' },
                { header: 'Created', cell: (w) => <Time value={w.createdAt} /> },
              ]}
            />
          </>
        ),
      });
    });
    app.get('/admin/webhooks/:id', async (c) => {
      const id = c.req.param('id');
      if (!WEBHOOK_ID_PATTERN.test(id)) throw new NotFoundError(`no webhook ${id}`);
      const principal = c.get('admin').principal;
      const w = await getWebhook(p, principal, id);
      const rows = await listDeliveries(p, principal, id, { limit: DELIVERIES });
      return renderPage(c, deps, {
        title: `Webhook ${w.url}`,
        body: (
          <>
            <DetailList
              items={[
                ['Id', <Id value={w.id} />],
                ['URL', <code>{w.url}</code>],
                ['Owner', <Owner deps={deps} w={w} />],
                ['Kinds', w.kinds.length ? w.kinds.join(', ') : 'every kind'],
                [
                  'Created',
                  <>
                    {<Time value={w.createdAt} />} by {w.createdBy}
                  </>,
                ],
                ['Deleted', <Time value={w.deletedAt} />],
              ]}
            />
            <DeliveryTable id={w.id} rows={rows} />
          </>
        ),
      });
    });
  },
};
