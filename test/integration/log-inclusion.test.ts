// Issue 14, "inclusion where users need it": write responses that create a passport, a
// certificate or a manifest version, or revoke one, carry a log receipt; GET /v1/log/events/{id}
// resolves it to the seq; `npm run ta -- verify passport|manifest --require-log` (the real command)
// proves the creation event is in the log online, saves a bundle, checks it offline, and rejects
// a tampered bundle with the exit code of what was tampered.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeCsr, tempFile } from '../support/csr.js';
import { issueAgentPassport } from '../support/passports.js';
import {
  manifestsPath,
  READ_FILE_TOOL,
  registeredServer,
  verifiedNamespace,
} from '../support/registry.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';
import { verifyCommand } from '../support/trust-kit.js';

const SERVER = 'com.example/weather';

describe('log receipts in write responses, and verify --require-log', () => {
  let ta: TestService;
  let A: { publisherId: string; token: string };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'log-inclusion-'));
  const file = (name: string) => path.join(dir, name);
  const save = (name: string, value: unknown) =>
    writeFileSync(file(name), JSON.stringify(value, null, 2));
  const online = (...args: string[]) => [
    ...args,
    '--ta',
    ta.url,
    '--anchors',
    file('anchors.json'),
    '--cache',
    file(`cache-${Math.random()}`),
  ];
  const offline = (...args: string[]) => [...args, '--anchors', file('anchors.json')];

  before(async () => {
    ta = await startTestService({ listen: true });
    A = await createPublisherWithToken(ta, 'Log receipts');
    await verifiedNamespace(ta, A.token, 'com.example');
    await registeredServer(ta, A.token, SERVER);
    save('anchors.json', (await ta.request('GET', '/v1/trust/anchors')).json);
  });
  after(async () => {
    await ta.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The receipt is well-formed, and once the log caught up it resolves to the event of `action` on `subject`. */
  async function resolves(
    log: { event_id: number; seq: number | null; event_uri: string },
    action: string,
    subject: string,
  ) {
    assert.ok(Number.isSafeInteger(log.event_id) && log.event_id > 0, JSON.stringify(log));
    assert.equal(log.event_uri, `/v1/log/events/${log.event_id}`);
    assert.ok(log.seq === null || Number.isSafeInteger(log.seq));
    await ta.log.flush();
    const pos = await ta.request('GET', log.event_uri);
    assert.equal(pos.status, 200, pos.text);
    assert.equal(pos.json.state, 'checkpointed');
    assert.equal(pos.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    if (log.seq !== null) assert.equal(pos.json.seq, log.seq);
    assert.ok(pos.json.checkpoint_tree_size >= pos.json.seq);
    const entry = (
      await ta.request('GET', `/v1/log/entries?start=${pos.json.seq}&end=${pos.json.seq}`)
    ).json.entries[0];
    assert.equal(entry.event.action, action);
    assert.equal(`${entry.event.subject.type}:${entry.event.subject.id}`, subject);
    return pos.json.seq as number;
  }

  it('passport, certificate and manifest creation and revocation answer with a receipt that resolves to their own event', async () => {
    const { res: p, key } = await issueAgentPassport(ta, A.token, { name: 'receipt-agent' });
    assert.equal(p.status, 201, p.text);
    const passportId = p.json.passport_id as string;
    save('passport-response.json', p.json);
    await resolves(p.json.log, 'passport.issued', `passport:${passportId}`);

    const keyFile = tempFile(
      'receipt-agent.pem',
      key.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
    );
    const cert = await ta.request('POST', '/v1/certificates', {
      token: A.token,
      body: { csr: makeCsr('P-256', { keyFile }).csrPem, profile: 'client', subject: passportId },
    });
    assert.equal(cert.status, 201, cert.text);
    await resolves(cert.json.log, 'certificate.issued', `certificate:${cert.json.serial}`);
    const certRevoked = await ta.request('POST', `/v1/certificates/${cert.json.serial}/revoke`, {
      token: A.token,
      body: { reason: 'superseded' },
    });
    assert.equal(certRevoked.status, 200, certRevoked.text);
    await resolves(certRevoked.json.log, 'certificate.revoked', `certificate:${cert.json.serial}`);

    const m = await ta.request('POST', manifestsPath(SERVER), {
      token: A.token,
      body: { version: '1.0.0', tools: [READ_FILE_TOOL] },
    });
    assert.equal(m.status, 201, m.text);
    save('manifest-response.json', m.json);
    await resolves(m.json.log, 'manifest.published', `manifest:${SERVER}@1.0.0`);
    const again = await ta.request('POST', manifestsPath(SERVER), {
      token: A.token,
      body: { version: '1.0.0', tools: [READ_FILE_TOOL] },
    });
    assert.equal(again.status, 200, again.text);
    assert.equal(
      again.json.log,
      undefined,
      'an identical re-publication appends no event, so it has no receipt',
    );
    assert.equal(
      (
        await ta.request('POST', manifestsPath(SERVER), {
          token: A.token,
          body: { version: '1.0.1', tools: [READ_FILE_TOOL] },
        })
      ).status,
      201,
    );
    const deprecated = await ta.request('POST', `${manifestsPath(SERVER)}/1.0.0/deprecate`, {
      token: A.token,
      body: { reason: 'use 1.0.1' },
    });
    assert.equal(deprecated.status, 200, deprecated.text);
    await resolves(deprecated.json.log, 'manifest.deprecated', `manifest:${SERVER}@1.0.0`);
    const yanked = await ta.request('POST', `${manifestsPath(SERVER)}/1.0.1/yank`, {
      token: A.token,
      body: { reason: 'broken build' },
    });
    assert.equal(yanked.status, 200, yanked.text);
    await resolves(yanked.json.log, 'manifest.yanked', `manifest:${SERVER}@1.0.1`);

    const { res: other } = await issueAgentPassport(ta, A.token, { name: 'receipt-agent-2' });
    const revoked = await ta.request('POST', `/v1/passports/${other.json.passport_id}/revoke`, {
      token: A.token,
      body: { reason: 'cessationOfOperation' },
    });
    assert.equal(revoked.status, 200, revoked.text);
    await resolves(revoked.json.log, 'passport.revoked', `passport:${other.json.passport_id}`);
    assert.equal(
      (await ta.request('GET', `/v1/passports/${passportId}`)).json.log,
      undefined,
      'a read carries no receipt',
    );

    assert.equal((await ta.request('GET', '/v1/log/events/999999999')).status, 404);
    assert.equal((await ta.request('GET', '/v1/log/events/abc')).status, 400);
  });

  /** An agent passport of A, and client certificates for its key (a new CSR each). */
  const agentWithKey = async (name: string) => {
    const { res: passport, key } = await issueAgentPassport(ta, A.token, { name });
    const keyFile = tempFile(
      `${name}.pem`,
      key.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
    );
    const certificate = () =>
      ta.request('POST', '/v1/certificates', {
        token: A.token,
        body: {
          csr: makeCsr('P-256', { keyFile }).csrPem,
          profile: 'client',
          subject: passport.json.passport_id,
        },
      });
    return { passport, certificate };
  };

  it('verify certificate --require-log: chain to the anchors, the logged event of these exact bytes, revocation', async () => {
    const agent = await agentWithKey('cert-log-agent');
    const issued = await agent.certificate();
    assert.equal(issued.status, 201, issued.text);
    save('certificate-response.json', issued.json);
    writeFileSync(file('certificate.pem'), issued.json.certificate);
    await ta.log.flush();
    const live = await verifyCommand(
      online(
        'certificate',
        file('certificate-response.json'),
        '--require-log',
        '--save-bundle',
        file('cert-bundle.json'),
      ),
    );
    assert.equal(live.code, 0, live.stderr);
    assert.match(
      live.stdout,
      new RegExp(
        `^OK certificate ${issued.json.serial} .*in log .* at seq \\d+ \\(certificate\\.issued`,
      ),
    );
    // Offline: the PEM alone with the saved bundle; and the PEM without any log check.
    const offlineOk = await verifyCommand(
      offline('certificate', file('certificate.pem'), '--bundle', file('cert-bundle.json')),
    );
    assert.equal(offlineOk.code, 0, offlineOk.stderr);
    // The bundle proves another certificate's event: refused (the logged bytes differ).
    const other = await agent.certificate();
    writeFileSync(file('other.pem'), other.json.certificate);
    const wrong = await verifyCommand(
      offline('certificate', file('other.pem'), '--bundle', file('cert-bundle.json')),
    );
    assert.equal(wrong.code, 52, wrong.stderr);
    // Not a certificate the anchors' CAs signed.
    const der = Buffer.from(
      (issued.json.certificate as string).replace(/-----[A-Z ]+-----|\s/g, ''),
      'base64',
    );
    der[der.length - 1]! ^= 0x01; // the last byte of the signature
    const forged = `-----BEGIN CERTIFICATE-----\n${der.toString('base64')}\n-----END CERTIFICATE-----\n`;
    writeFileSync(file('forged.pem'), forged);
    const bad = await verifyCommand(offline('certificate', file('forged.pem')));
    assert.equal(bad.code, 60, bad.stderr);
    // Revoked: the online feed says so.
    const revoked = await ta.request('POST', `/v1/certificates/${issued.json.serial}/revoke`, {
      token: A.token,
      body: { reason: 'keyCompromise' },
    });
    assert.equal(revoked.status, 200, revoked.text);
    const after = await verifyCommand(online('certificate', file('certificate.pem')));
    assert.equal(after.code, 62, after.stderr);
    assert.match(after.stderr, /revoked \(keyCompromise/);
  });

  it('a serial whose first octet is below 0x10 (written 0x…) is found in the log and the feed by verify certificate', async () => {
    const agent = await agentWithKey('low-serial');
    // One serial in eight starts with 0: issue until one does (64 tries fail with p ≈ 2e-4).
    let low: { serial: string; certificate: string } | undefined;
    for (let i = 0; i < 64 && !low; i += 1) {
      const r = await agent.certificate();
      assert.equal(r.status, 201, r.text);
      if ((r.json.serial as string).startsWith('0')) low = r.json;
    }
    assert.ok(low, 'no serial with a leading zero nibble in 64 issuances');
    save('low-serial-response.json', low);
    writeFileSync(file('low-serial.pem'), low.certificate);
    await ta.log.flush();
    const ok = await verifyCommand(
      online('certificate', file('low-serial-response.json'), '--require-log'),
    );
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, new RegExp(`^OK certificate ${low.serial} `));
    const revoked = await ta.request('POST', `/v1/certificates/${low.serial}/revoke`, {
      token: A.token,
      body: { reason: 'superseded' },
    });
    assert.equal(revoked.status, 200, revoked.text);
    const after = await verifyCommand(online('certificate', file('low-serial.pem')));
    assert.equal(after.code, 62, after.stderr);
  });

  it('Prefer: wait=N makes the write answer once its event has a seq; without it the seq is null', async () => {
    const { res: passport, key } = await issueAgentPassport(ta, A.token, { name: 'waiting-agent' });
    const subject = passport.json.passport_id as string;
    const keyFile = tempFile(
      'waiting-agent.pem',
      key.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
    );
    const csr = () => makeCsr('P-256', { keyFile }).csrPem;
    const plain = await ta.request('POST', '/v1/certificates', {
      token: A.token,
      body: { csr: csr(), profile: 'client', subject },
    });
    assert.equal(plain.status, 201, plain.text);
    assert.equal(plain.json.log.seq, null);
    const waited = await ta.request('POST', '/v1/certificates', {
      token: A.token,
      headers: { prefer: 'wait=5' },
      body: { csr: csr(), profile: 'client', subject },
    });
    assert.equal(waited.status, 201, waited.text);
    assert.ok(Number.isSafeInteger(waited.json.log.seq), JSON.stringify(waited.json.log));
    const seq = await resolves(
      waited.json.log,
      'certificate.issued',
      `certificate:${waited.json.serial}`,
    );
    assert.equal(seq, waited.json.log.seq);
    // With the sequencer stopped the wait runs out and the answer still comes, seq null.
    await ta.log.stop();
    try {
      const started = Date.now();
      const late = await ta.request('POST', '/v1/certificates', {
        token: A.token,
        headers: { prefer: 'respond-async, wait=1' },
        body: { csr: csr(), profile: 'client', subject },
      });
      assert.equal(late.status, 201, late.text);
      assert.equal(late.json.log.seq, null);
      assert.ok(Date.now() - started >= 900, 'the client asked to wait up to 1 s for the seq');
    } finally {
      ta.log.start();
    }
  });

  it('verify passport --require-log: online it proves inclusion and saves a bundle, offline the bundle alone suffices', async () => {
    const r = await verifyCommand(
      online(
        'passport',
        file('passport-response.json'),
        '--require-log',
        '--save-bundle',
        file('passport-bundle.json'),
      ),
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /^OK passport asp_[0-9a-f]{32} .*; in log test-ta\.example\/log at seq \d+ \(passport\.issued; checkpoint of size \d+, signed note by log key test-ta\.example\/log\)/,
    );
    const bundle = JSON.parse(readFileSync(file('passport-bundle.json'), 'utf8'));
    assert.equal(bundle.mcps_log_bundle, 1);
    assert.equal(bundle.inclusion.tree_size, bundle.checkpoint.tree_size);
    const off = await verifyCommand(
      offline('passport', file('passport-response.json'), '--bundle', file('passport-bundle.json')),
    );
    assert.equal(off.code, 0, off.stderr);
    assert.match(off.stdout, /; in log test-ta\.example\/log at seq \d+/);
  });

  it('verify manifest --require-log proves the manifest.published event of that digest', async () => {
    const r = await verifyCommand(
      online(
        'manifest',
        file('manifest-response.json'),
        '--require-log',
        '--save-bundle',
        file('manifest-bundle.json'),
      ),
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /^OK manifest com\.example\/weather@1\.0\.0 .*; in log \S+ at seq \d+ \(manifest\.published;/,
    );
    // The passport's bundle is a valid proof, of another event: not about this manifest.
    const wrong = await verifyCommand(
      offline('manifest', file('manifest-response.json'), '--bundle', file('passport-bundle.json')),
    );
    assert.equal(wrong.code, 52, wrong.stderr);
    assert.match(wrong.stderr, /leaf-not-about-artifact/);
  });

  it('a tampered bundle fails, naming what: a flipped proof hash, an altered checkpoint or note signature, a wrong tree size', async () => {
    const good = JSON.parse(readFileSync(file('passport-bundle.json'), 'utf8'));
    const flip = (b64: string) => {
      const bytes = Buffer.from(b64, 'base64');
      bytes[bytes.length - 1]! ^= 0x01; // the last byte: the signature, not a note's key id
      return bytes.toString('base64');
    };
    const cases: Array<[string, (b: any) => void, number, RegExp]> = [
      [
        'proof-hash',
        (b) => (b.inclusion.audit_path[0] = flip(b.inclusion.audit_path[0])),
        52,
        /not-included/,
      ],
      [
        'checkpoint-signature',
        (b) => (b.checkpoint.signature = flip(b.checkpoint.signature)),
        50,
        /checkpoint-bad-signature/,
      ],
      [
        'note-signature',
        (b) =>
          (b.checkpoint_note = b.checkpoint_note.replace(
            / (\S+)\n$/,
            (_: string, s: string) => ` ${flip(s)}\n`,
          )),
        50,
        /note-bad-signature/,
      ],
      [
        'note-of-another-size',
        (b) =>
          (b.checkpoint_note = b.checkpoint_note.replace(
            /\n\d+\n/,
            `\n${b.checkpoint.tree_size + 1}\n`,
          )),
        53,
        /note-mismatch/,
      ],
      ['tree-size', (b) => (b.inclusion.tree_size += 1), 53, /wrong-tree-size/],
      [
        'leaf',
        (b) =>
          (b.leaf_input = Buffer.from(
            Buffer.from(b.leaf_input, 'base64')
              .toString()
              .replace('receipt-agent', 'receipt-agenT'),
          ).toString('base64')),
        52,
        /not-included/,
      ],
    ];
    assert.ok(
      good.inclusion.audit_path.length > 0,
      'the tree has more than one leaf, so the path is not empty',
    );
    for (const [name, tamper, code, reason] of cases) {
      const b = structuredClone(good);
      tamper(b);
      save(`tampered-${name}.json`, b);
      const r = await verifyCommand(
        offline(
          'passport',
          file('passport-response.json'),
          '--bundle',
          file(`tampered-${name}.json`),
        ),
      );
      assert.equal(r.code, code, `${name}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, reason, name);
    }
  });

  it('--require-log with no proof to be had is exit 54, saying why', async () => {
    const passportOnly = JSON.parse(readFileSync(file('passport-response.json'), 'utf8'));
    delete passportOnly.log;
    save('passport-no-receipt.json', passportOnly);
    const noReceipt = await verifyCommand(
      online('passport', file('passport-no-receipt.json'), '--require-log'),
    );
    assert.equal(noReceipt.code, 54, noReceipt.stderr);
    assert.match(noReceipt.stderr, /no-log-receipt/);
    const noBundle = await verifyCommand(
      offline('passport', file('passport-response.json'), '--require-log'),
    );
    assert.equal(noBundle.code, 54, noBundle.stderr);
    assert.match(noBundle.stderr, /no-log-bundle/);
    // The log has not numbered the event yet (its sequencer is stopped): not yet, retry.
    await ta.log.stop();
    try {
      const { res } = await issueAgentPassport(ta, A.token, { name: 'not-yet-logged' });
      assert.equal(res.json.log.seq, null);
      save('passport-queued.json', res.json);
      const queued = await verifyCommand(
        online('passport', file('passport-queued.json'), '--require-log'),
      );
      assert.equal(queued.code, 54, queued.stderr);
      assert.match(queued.stderr, /not-sequenced/);
      assert.equal((await ta.request('GET', res.json.log.event_uri)).json.state, 'queued');
    } finally {
      ta.log.start();
    }
  });
});
