// PKCS#10 requests made with @peculiar/x509 over WebCrypto (RFC 2986): the TA decides the subject
// and SANs from what it proved, so the request carries only a CN for people reading it.
import type { KeyObject } from 'node:crypto';
import { webcrypto, x509 } from '../crypto/x509/setup.js';

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/** A PEM CSR for `privateKey` (P-256), signed with ECDSA-SHA256. */
export async function makeCsr(
  privateKey: KeyObject,
  publicKey: KeyObject,
  commonName: string,
): Promise<string> {
  const subtle = webcrypto.subtle;
  const keys = {
    privateKey: await subtle.importKey(
      'pkcs8',
      privateKey.export({ format: 'der', type: 'pkcs8' }),
      EC,
      false,
      ['sign'],
    ),
    publicKey: await subtle.importKey(
      'spki',
      publicKey.export({ format: 'der', type: 'spki' }),
      EC,
      true,
      ['verify'],
    ),
  };
  const name = new x509.Name([{ CN: [commonName] }]);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name,
    keys: keys as CryptoKeyPair,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
  });
  return csr.toString('pem');
}
