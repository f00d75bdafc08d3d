// A certificate's page: what it certifies and for how long, who signed it, its status with the
// revocation time and reason, the PEM, and where relying parties check it (CRL, OCSP).
import type { Hono } from 'hono';
import { canonicalSerial, type CertificateRecord } from '../../../src/certificates/certificate.js';
import { findCertificate as findBySerial, ocspGetPath } from '../../../src/certificates/read.js';
import { InvalidRequestError } from '../../../src/errors.js';
import type { AppDeps } from '../../../src/http/deps.js';
import type { AdminEnv } from '../env.js';
import { detailPage, type LinkAction } from '../resource-pages.js';
import { Id, Time } from '../ui/format.js';
import {
  certificateHref,
  CertificateStatusBadge,
  CertificateSubject,
  Profile,
} from './certificate-table.js';
import { PublisherLink } from '../ui/publisher-link.js';

/** The certificate a serial in a URL names (any hex form), or undefined (→ 404). */
export async function findCertificate(
  deps: AppDeps,
  serialInput: string | undefined,
): Promise<CertificateRecord | undefined> {
  let serial: string;
  try {
    serial = canonicalSerial(serialInput ?? '');
  } catch (err) {
    if (err instanceof InvalidRequestError) return undefined;
    throw err;
  }
  return findBySerial(deps.persistence, serial);
}

function RevocationChecks({ deps, c }: { deps: AppDeps; c: CertificateRecord }) {
  const ca = deps.certificates.authority;
  const ocsp = ocspGetPath(deps.certificates, c);
  return (
    <ul>
      <li>
        CRL of the issuing CA: <a href="/v1/crl">/v1/crl</a> (DER) ·{' '}
        <a href="/v1/crl.pem">/v1/crl.pem</a> — written into the certificate as{' '}
        <code>{ca.crlUrl}</code>
      </li>
      <li>
        OCSP responder <code>{ca.ocspUrl}</code>:{' '}
        {ocsp ? (
          <a href={ocsp}>OCSP response for this certificate</a>
        ) : (
          <>not answered for it here: an earlier issuing CA signed it</>
        )}{' '}
        (RFC 6960 over GET, DER; <code>openssl ocsp -respin</code> reads it)
      </li>
    </ul>
  );
}

function actionsOf(c: CertificateRecord): LinkAction[] {
  return c.revokedAt
    ? []
    : [{ href: `${certificateHref(c.serial)}/revoke`, label: 'Revoke…', danger: true }];
}

export function certificateDetailRoute(app: Hono<AdminEnv>, deps: AppDeps): void {
  const p = deps.persistence;
  app.get(
    '/admin/certificates/:serial',
    detailPage<CertificateRecord>(deps, {
      param: 'serial',
      load: (serial) => findCertificate(deps, serial),
      title: (c) => `Certificate ${c.serial}`,
      fields: (c) => [
        ['Status', <CertificateStatusBadge c={c} now={p.clock.now()} />],
        ['Serial', <Id value={c.serial} />],
        ['Profile', <Profile profile={c.profile} />],
        ['Subject', <CertificateSubject c={c} />],
        ['Publisher', <PublisherLink deps={deps} id={c.publisherId} />],
        [
          'Subject alternative names',
          <ul class="inline">
            {c.sans.map((s) => (
              <li>
                <code>{s}</code>
              </li>
            ))}
          </ul>,
        ],
        ['Key type', c.keyType],
        ['Not before', <Time value={c.notBefore} />],
        ['Not after', <Time value={c.notAfter} />],
        [
          'Issuer key id (kid)',
          <a href={`/admin/keys#key-${c.issuerKid}`}>
            <Id value={c.issuerKid} />
          </a>,
        ],
        ['Issued', <Time value={c.createdAt} />],
        [
          'Revoked',
          c.revokedAt ? (
            <>
              <Time value={c.revokedAt} /> — reason <strong>{c.revocationReason}</strong>
            </>
          ) : (
            '—'
          ),
        ],
        [
          'Renewed from',
          c.renewedFrom ? (
            <a href={certificateHref(c.renewedFrom)}>
              <Id value={c.renewedFrom} />
            </a>
          ) : (
            '—'
          ),
        ],
      ],
      actions: actionsOf,
      sections: (c) => (
        <>
          <section aria-labelledby="checks-heading">
            <h2 id="checks-heading">Revocation checks</h2>
            <RevocationChecks deps={deps} c={c} />
          </section>
          <section aria-labelledby="pem-heading">
            <h2 id="pem-heading">Certificate (PEM)</h2>
            <pre class="pem">{c.pem.trim()}</pre>
          </section>
        </>
      ),
    }),
  );
}
