// A throwaway root + issuing CA for unit tests of the X.509 writers (no database needed).
import { createPrivateKey, KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createIntermediateCa, createRootCa } from '../../src/crypto/x509/ca-certificates.js';
import { loadIssuingCa, type IssuingCa } from '../../src/crypto/x509/issuing-ca.js';

export interface TestCa {
  issuing: IssuingCa;
  /** The root as a signer (it issues the root-anchored OCSP responder twins). */
  root: IssuingCa;
  rootPem: string;
  /** Root then intermediate, PEM (what /v1/trust/ca.pem serves). */
  chainPem: string;
  /** A temporary directory holding root.pem, issuing.pem and chain.pem. */
  dir: string;
  file(name: string): string;
}

/** Creates a fresh P-256 root and intermediate, as the TA does on first start. */
export async function createTestCa(name = 'Test'): Promise<TestCa> {
  const now = new Date();
  const root = await createRootCa({
    commonName: `${name} Root CA`,
    organization: 'Tests',
    now,
    validityDays: 3650,
  });
  const issuing = await createIntermediateCa(
    { commonName: `${name} Issuing CA`, organization: 'Tests', now, validityDays: 1825 },
    { certificate: root.certificate, privateKey: root.keys.privateKey },
  );
  const key = createPrivateKey({ key: issuing.privateKeyPkcs8, format: 'der', type: 'pkcs8' });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'test-ca-'));
  const chainPem = `${root.certificatePem.trim()}\n${issuing.certificatePem.trim()}\n`;
  writeFileSync(path.join(dir, 'root.pem'), `${root.certificatePem.trim()}\n`);
  writeFileSync(path.join(dir, 'issuing.pem'), `${issuing.certificatePem.trim()}\n`);
  writeFileSync(path.join(dir, 'chain.pem'), chainPem);
  return {
    issuing: loadIssuingCa(issuing.certificatePem, key),
    root: loadIssuingCa(root.certificatePem, KeyObject.from(root.keys.privateKey)),
    rootPem: root.certificatePem,
    chainPem,
    dir,
    file: (f) => path.join(dir, f),
  };
}
