// Issue 12, acceptance 1: the status-consistency matrix. An agent passport with its client
// certificate, and a server passport with its server certificate (a registered server with a
// proven origin, the certificate for the server passport's own key), walk issue → rotate →
// revoke(keyCompromise); after each step every view (test/support/status-views.ts: the JSON APIs,
// /api/verify and /api/crl, POST /v1/passports/verify, the signed feed, the CRL with
// `openssl verify -crl_check`, OCSP with `openssl ocsp`, the admin UI pages, and the verifier CLI
// offline with a saved feed and online with --ta) must say exactly what the table says.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AdminClient, createAdmin } from '../support/admin.js';
import { makeCsr, tempFile } from '../support/csr.js';
import {
  challenge,
  issueAgentPassport,
  newSubjectKey,
  popProof,
  rotate,
  type SubjectKeyPair,
} from '../support/passports.js';
import { registeredServer, verifiedNamespace } from '../support/registry.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';
import { hasCommand } from '../support/tools.js';
import {
  revoked,
  snapshot,
  VALID,
  viewContext,
  VIEWS,
  type Artifact,
  type Reading,
  type ViewContext,
} from '../support/status-views.js';

const SERVER = 'com.matrix/files';
const ORIGIN = 'https://files.matrix.com';

/** The artifacts of the walk, by role: 1 = issued first, 2 = their successors after rotation. */
type Role =
  | 'agent passport 1'
  | 'client cert 1'
  | 'server passport 1'
  | 'server cert 1'
  | 'agent passport 2'
  | 'client cert 2'
  | 'server passport 2'
  | 'server cert 2';

interface Step {
  name: string;
  act(): Promise<void>;
  expect: Partial<Record<Role, Reading>>;
}

const openssl = hasCommand('openssl', ['version']);

describe(
  'status-consistency matrix: one status per artifact in every view, at every step',
  { skip: openssl ? false : 'openssl is not installed' },
  () => {
    let ta: TestService;
    let token: string;
    let views: ViewContext;
    const artifacts = new Map<Role, Artifact>();
    const keys = new Map<string, SubjectKeyPair>();

    before(async () => {
      ta = await startTestService({ listen: true });
      ({ token } = await createPublisherWithToken(ta, 'Matrix Inc'));
      await verifiedNamespace(ta, token, 'com.matrix');
      await registeredServer(ta, token, SERVER, ORIGIN);
      await createAdmin(ta, 'matrix-admin');
      const admin = new AdminClient(ta);
      assert.equal((await admin.signIn('matrix-admin')).status, 303);
      views = await viewContext(ta, admin, ta.adminToken);
    });
    after(async () => ta.stop());

    const keyFile = (key: SubjectKeyPair) =>
      tempFile('key.pem', key.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
    const passportId = (role: Role) => (artifacts.get(role) as { id: string }).id;
    const serial = (role: Role) => (artifacts.get(role) as { serial: string }).serial;

    function addPassport(
      role: Role,
      res: { status: number; text: string; json: any },
      key: SubjectKeyPair,
    ): void {
      assert.equal(res.status, 201, res.text);
      artifacts.set(role, {
        kind: 'passport',
        id: res.json.passport.passport_id,
        document: res.json.passport,
      });
      keys.set(role, key);
    }

    async function addCertificate(
      role: Role,
      profile: 'client' | 'server',
      subject: string,
      key: SubjectKeyPair,
    ): Promise<void> {
      const csr = makeCsr('P-256', { keyFile: keyFile(key) });
      const res = await ta.request('POST', '/v1/certificates', {
        token,
        body: { csr: csr.csrPem, profile, subject },
      });
      assert.equal(res.status, 201, res.text);
      artifacts.set(role, {
        kind: 'certificate',
        serial: res.json.serial,
        pem: res.json.certificate,
      });
    }

    async function serverPassport(key: SubjectKeyPair) {
      const proof = await popProof(key, await challenge(ta, token), { aud: ta.config.taName });
      return ta.request('POST', '/v1/passports', {
        token,
        body: { subject_type: 'server', name: SERVER, public_key: key.jwk, proof },
      });
    }

    const steps: Step[] = [
      {
        name: 'issue',
        act: async () => {
          const agent = await issueAgentPassport(ta, token, { name: 'matrix-agent' });
          addPassport('agent passport 1', agent.res, agent.key);
          await addCertificate(
            'client cert 1',
            'client',
            passportId('agent passport 1'),
            agent.key,
          );
          const key = newSubjectKey();
          addPassport('server passport 1', await serverPassport(key), key);
          await addCertificate('server cert 1', 'server', SERVER, key);
        },
        expect: {
          'agent passport 1': VALID,
          'client cert 1': VALID,
          'server passport 1': VALID,
          'server cert 1': VALID,
        },
      },
      {
        name: 'rotate',
        act: async () => {
          const agent = await rotate(
            ta,
            token,
            passportId('agent passport 1'),
            keys.get('agent passport 1')!,
          );
          addPassport('agent passport 2', agent.res, agent.key);
          await addCertificate(
            'client cert 2',
            'client',
            passportId('agent passport 2'),
            agent.key,
          );
          const server = await rotate(
            ta,
            token,
            passportId('server passport 1'),
            keys.get('server passport 1')!,
          );
          addPassport('server passport 2', server.res, server.key);
          await addCertificate('server cert 2', 'server', SERVER, server.key);
        },
        expect: {
          'agent passport 1': revoked('superseded'),
          'client cert 1': revoked('superseded'),
          'server passport 1': revoked('superseded'),
          'server cert 1': revoked('superseded'),
          'agent passport 2': VALID,
          'client cert 2': VALID,
          'server passport 2': VALID,
          'server cert 2': VALID,
        },
      },
      {
        name: 'revoke(keyCompromise)',
        act: async () => {
          // One on a passport, one on a certificate: each must reach the rest of its key.
          const p = await ta.request(
            'POST',
            `/v1/passports/${passportId('agent passport 2')}/revoke`,
            { token, body: { reason: 'keyCompromise' } },
          );
          assert.equal(p.status, 200, p.text);
          const c = await ta.request('POST', `/v1/certificates/${serial('server cert 2')}/revoke`, {
            token,
            body: { reason: 'keyCompromise' },
          });
          assert.equal(c.status, 200, c.text);
        },
        expect: {
          'agent passport 1': revoked('superseded'),
          'client cert 1': revoked('superseded'),
          'server passport 1': revoked('superseded'),
          'server cert 1': revoked('superseded'),
          'agent passport 2': revoked('keyCompromise'),
          'client cert 2': revoked('keyCompromise'),
          'server passport 2': revoked('keyCompromise'),
          'server cert 2': revoked('keyCompromise'),
        },
      },
    ];

    for (const step of steps) {
      it(`after ${step.name}: ${VIEWS.length} views agree for every artifact`, async () => {
        await step.act();
        const snap = await snapshot(views);
        const disagreements: string[] = [];
        let checked = 0;
        for (const [role, want] of Object.entries(step.expect) as Array<[Role, Reading]>) {
          const artifact = artifacts.get(role)!;
          for (const view of VIEWS.filter((v) => v.kind === artifact.kind)) {
            const got = await view.read(views, snap, artifact);
            checked += 1;
            const reasonAgrees = got.reason === undefined || got.reason === want.reason;
            if (got.status !== want.status || !reasonAgrees) {
              disagreements.push(
                `${role} × ${view.name}: ${got.status}${got.reason ? ` (${got.reason})` : ''}, expected ${want.status}${want.reason ? ` (${want.reason})` : ''}`,
              );
            }
          }
        }
        assert.deepEqual(disagreements, []);
        const perKind = (k: Artifact['kind']) => VIEWS.filter((v) => v.kind === k).length;
        const roles = Object.keys(step.expect) as Role[];
        assert.equal(
          checked,
          roles.reduce((n, r) => n + perKind(artifacts.get(r)!.kind), 0),
        );
      });
    }
  },
);
