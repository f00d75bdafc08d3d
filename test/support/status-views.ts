// Every view of a passport's or a certificate's status (DESIGN.md §10 "one truth in every view"),
// each read the way its real client reads it and reduced to one Reading: the TA's JSON APIs, the
// MCPS compatibility documents, the signed feed (checked by the verifier library), the X.509 CRL
// (`openssl verify -crl_check`) and OCSP (`openssl ocsp`), the admin UI's server-rendered pages,
// and the verifier CLI offline (saved feed) and online (`--ta`). The status-consistency matrix
// (test/integration/status-consistency.test.ts) compares them; CA-generation changes to CRL and
// OCSP URLs only need the two X.509 readers here adapted.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { revocationsFromPages, trustedKeys, type RevocationSet } from '../../src/verifier/index.js';
import type { AnchorsDocument } from '../../src/keys/anchors.js';
import type { AdminClient } from './admin.js';
import { caFiles, tempFile } from './csr.js';
import type { TestService } from './service.js';
import { opensslAsync } from './tools.js';
import { verifyCli } from './trust-kit.js';

/** What a view says: valid or revoked, and the RFC 5280 reason when the view carries one. */
export interface Reading {
  status: 'valid' | 'revoked';
  /** null: valid; undefined: this view says revoked without a reason. */
  reason?: string | null;
}

export const VALID: Reading = { status: 'valid', reason: null };
export const revoked = (reason: string): Reading => ({ status: 'revoked', reason });

/** A passport as the views need it: its id and the document its holder presents. */
export interface PassportArtifact {
  kind: 'passport';
  id: string;
  document: Record<string, unknown>;
}

/** A certificate as the views need it: its serial and PEM. */
export interface CertificateArtifact {
  kind: 'certificate';
  serial: string;
  pem: string;
}

export type Artifact = PassportArtifact | CertificateArtifact;

/** What the readers share within one step: fetched once, read for every artifact. */
export interface Snapshot {
  feed: RevocationSet;
  /** Saved feed pages (since=0 onwards) for the CLI's --revocations. */
  feedFile: string;
  compatCrl: { revoked: Array<{ passport_id: string; reason: string }> };
  crlFile: string;
}

export interface ViewContext {
  ta: TestService;
  admin: AdminClient;
  /** Anchors version the client trusts (written to a file for the CLI). */
  anchorsFile: string;
  anchors: AnchorsDocument;
  /** The CLI's --cache for --ta runs: kept across steps, as a real client's would be. */
  cacheDir: string;
  ca: { root: string; issuing: string; chain: string };
  /** Token that may read every certificate (GET /v1/certificates/{serial}). */
  token: string;
}

export interface View {
  name: string;
  kind: Artifact['kind'];
  read(c: ViewContext, snap: Snapshot, a: Artifact): Promise<Reading>;
}

/** Sets up what every view needs: the trusted anchors, the CA files and a CLI cache. */
export async function viewContext(
  ta: TestService,
  admin: AdminClient,
  token: string,
): Promise<ViewContext> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'status-views-'));
  const anchors = (await ta.request('GET', '/v1/trust/anchors')).json as AnchorsDocument;
  const anchorsFile = path.join(dir, 'anchors.json');
  writeFileSync(anchorsFile, JSON.stringify(anchors));
  const ca = caFiles((await ta.request('GET', '/v1/trust/ca.pem')).text);
  return { ta, admin, anchorsFile, anchors, cacheDir: path.join(dir, 'cache'), ca, token };
}

/**
 * Fetches what several readers share, after the CRL publisher has caught up (a revocation asks
 * for a new CRL off the request path; `idle` waits for it).
 */
export async function snapshot(c: ViewContext): Promise<Snapshot> {
  await c.ta.certificates.crl.idle();
  const pages: unknown[] = [];
  for (let since = 0; ;) {
    const page = (await c.ta.request('GET', `/v1/revocations?since=${since}`)).json;
    pages.push(page);
    if (!page.has_more) break;
    since = page.next_since;
  }
  const checked = revocationsFromPages(pages, {
    keys: trustedKeys(c.anchors),
    now: new Date(),
    requireFresh: true,
  });
  assert.ok(checked.ok, `the feed does not verify: ${JSON.stringify(checked)}`);
  const crl = await c.ta.request('GET', '/v1/crl.pem');
  assert.equal(crl.status, 200);
  return {
    feed: checked.set,
    feedFile: tempFile('feed.json', JSON.stringify(pages)),
    compatCrl: (await c.ta.request('GET', '/api/crl')).json,
    crlFile: tempFile('crl.pem', crl.text),
  };
}

const passportOf = (a: Artifact): PassportArtifact => {
  assert.equal(a.kind, 'passport');
  return a as PassportArtifact;
};
const certificateOf = (a: Artifact): CertificateArtifact => {
  assert.equal(a.kind, 'certificate');
  return a as CertificateArtifact;
};

/** GET /v1/passports/{id}: superseded is revoked with reason superseded in every other view. */
const passportApi: View = {
  name: 'GET /v1/passports/{id}',
  kind: 'passport',
  read: async (c, _s, a) => {
    const p = (await c.ta.request('GET', `/v1/passports/${passportOf(a).id}`)).json;
    if (p.status === 'active') return VALID;
    if (p.status === 'superseded') return revoked('superseded');
    assert.equal(p.status, 'revoked', JSON.stringify(p));
    return revoked(p.revocation_reason);
  },
};

const mcpsStatus: View = {
  name: 'GET /api/verify/{id}',
  kind: 'passport',
  read: async (c, _s, a) => {
    const d = (await c.ta.request('GET', `/api/verify/${passportOf(a).id}`)).json;
    assert.equal(d.reason, d.revocation_reason);
    if (d.status === 'VALID') return VALID;
    assert.equal(d.status, 'REVOKED', JSON.stringify(d));
    return revoked(d.revocation_reason);
  },
};

const mcpsCrl: View = {
  name: 'GET /api/crl',
  kind: 'passport',
  read: async (_c, s, a) => {
    const e = s.compatCrl.revoked.find((x) => x.passport_id === passportOf(a).id);
    return e ? revoked(e.reason) : VALID;
  },
};

const verifyEndpoint: View = {
  name: 'POST /v1/passports/verify',
  kind: 'passport',
  read: async (c, _s, a) => {
    const r = (
      await c.ta.request('POST', '/v1/passports/verify', {
        body: { passport: passportOf(a).document },
      })
    ).json;
    if (r.valid) return VALID;
    assert.equal(r.problem, 'revoked', JSON.stringify(r));
    return { status: 'revoked' };
  },
};

/** The signed feed, checked page by page by the verifier library: the latest entry stands. */
const feed = (kind: Artifact['kind']): View => ({
  name: 'GET /v1/revocations (verifier library)',
  kind,
  read: async (_c, s, a) => {
    const e = s.feed.get(kind, a.kind === 'passport' ? a.id : a.serial);
    return e ? revoked(e.reason) : VALID;
  },
});

const adminPage = (kind: Artifact['kind']): View => ({
  name: `admin UI /admin/${kind}s/{id}`,
  kind,
  read: async (c, _s, a) => {
    const page = await c.admin.get(
      a.kind === 'passport' ? `/admin/passports/${a.id}` : `/admin/certificates/${a.serial}`,
    );
    assert.equal(page.status, 200);
    const label = kind === 'passport' ? 'State' : 'Status';
    const status = new RegExp(`<dt>${label}</dt><dd><span [^>]*data-status="([a-z]+)"`).exec(
      page.text,
    )?.[1];
    const reason = /— reason <strong>([A-Za-z]+)<\/strong>/.exec(page.text)?.[1];
    if (status === 'active' || status === 'valid') {
      assert.equal(reason, undefined, 'a valid artifact shows no revocation reason');
      return VALID;
    }
    if (status === 'superseded') return revoked('superseded');
    assert.equal(
      status,
      'revoked',
      `no status on the admin page of ${a.kind === 'passport' ? a.id : a.serial}`,
    );
    return revoked(reason!);
  },
});

/** `npm run ta -- verify passport` as its code runs it, with the feed saved by `snapshot`. */
async function cli(args: string[], cacheRoot?: string): Promise<Reading> {
  const r = await verifyCli(args, cacheRoot);
  if (r.code === 0) return VALID;
  assert.equal(r.code, 12, `${r.stdout}${r.stderr}`); // EXIT.passportRevoked
  const reason = /is revoked \(([A-Za-z]+),/.exec(r.stderr)?.[1];
  assert.ok(reason, r.stderr);
  return revoked(reason);
}

const cliOffline: View = {
  name: 'verifier CLI offline --revocations (saved feed)',
  kind: 'passport',
  read: async (c, s, a) =>
    cli([
      'passport',
      tempFile('passport.json', JSON.stringify(passportOf(a).document)),
      '--anchors',
      c.anchorsFile,
      '--revocations',
      s.feedFile,
    ]),
};

const cliOnline: View = {
  name: 'verifier CLI --ta',
  kind: 'passport',
  read: async (c, _s, a) =>
    cli([
      'passport',
      tempFile('passport.json', JSON.stringify(passportOf(a).document)),
      '--ta',
      c.ta.url,
      '--anchors',
      c.anchorsFile,
      '--cache',
      c.cacheDir,
    ]),
};

const certificateApi: View = {
  name: 'GET /v1/certificates/{serial}',
  kind: 'certificate',
  read: async (c, _s, a) => {
    const r = (
      await c.ta.request('GET', `/v1/certificates/${certificateOf(a).serial}`, { token: c.token })
    ).json;
    if (r.status === 'valid') return VALID;
    assert.equal(r.status, 'revoked', JSON.stringify(r));
    return revoked(r.revocation_reason);
  },
};

/** OpenSSL's names of CRLReason values (`openssl crl -text`, `openssl ocsp`) → RFC 5280 camelCase. */
const OPENSSL_REASON: Record<string, string> = {
  Unspecified: 'unspecified',
  'Key Compromise': 'keyCompromise',
  'CA Compromise': 'cACompromise',
  'Affiliation Changed': 'affiliationChanged',
  Superseded: 'superseded',
  'Cessation Of Operation': 'cessationOfOperation',
  'Privilege Withdrawn': 'privilegeWithdrawn',
};

/** `openssl verify -crl_check` with the chain and the CRL fetched from /v1/crl.pem; the reason from `openssl crl -text`. */
const crl: View = {
  name: 'CRL /v1/crl (openssl verify -crl_check)',
  kind: 'certificate',
  read: async (c, s, a) => {
    const cert = tempFile('leaf.pem', certificateOf(a).pem);
    const v = await opensslAsync([
      'verify',
      '-crl_check',
      '-CAfile',
      c.ca.root,
      '-untrusted',
      c.ca.issuing,
      '-CRLfile',
      s.crlFile,
      cert,
    ]);
    if (v.status === 0) {
      assert.match(v.output, /: OK/);
      return VALID;
    }
    assert.match(v.output, /certificate revoked/, v.output);
    const text = (await opensslAsync(['crl', '-in', s.crlFile, '-noout', '-text'])).output;
    const serial = certificateOf(a).serial.toUpperCase();
    const entry = new RegExp(
      `Serial Number: ${serial}\\s+Revocation Date: [^\\n]+\\s+CRL entry extensions:\\s+X509v3 CRL Reason Code:\\s+([A-Za-z ]+?)\\s*\\n`,
    ).exec(text);
    assert.ok(entry, `serial ${serial} has no reason on the CRL:\n${text}`);
    return revoked(OPENSSL_REASON[entry[1]!] ?? entry[1]!);
  },
};

/** `openssl ocsp` against the TA's /v1/ocsp, the response verified against the root alone. */
const ocsp: View = {
  name: 'OCSP /v1/ocsp (openssl ocsp)',
  kind: 'certificate',
  read: async (c, _s, a) => {
    const cert = tempFile('leaf.pem', certificateOf(a).pem);
    const r = await opensslAsync([
      'ocsp',
      '-issuer',
      c.ca.issuing,
      '-cert',
      cert,
      '-CAfile',
      c.ca.root,
      '-url',
      `${c.ta.url}/v1/ocsp`,
    ]);
    assert.match(r.output, /Response verify OK/, r.output);
    if (/: good\n/.test(r.output)) return VALID;
    const m = /: revoked\n[\s\S]*?Reason: ([A-Za-z]+)/.exec(r.output);
    assert.ok(m, r.output);
    return revoked(m[1]!);
  },
};

/** Every view, passports' and certificates'. */
export const VIEWS: readonly View[] = [
  passportApi,
  mcpsStatus,
  mcpsCrl,
  verifyEndpoint,
  feed('passport'),
  adminPage('passport'),
  cliOffline,
  cliOnline,
  certificateApi,
  feed('certificate'),
  crl,
  ocsp,
  adminPage('certificate'),
];
