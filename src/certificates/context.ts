// What the certificate operations run against: storage, the CA, the subject policy and the CRL
// publisher (to ask for a fresh CRL after a revocation).
import type { Persistence } from '../stores.js';
import type { CertificateAuthority } from './authority.js';
import type { CrlPublisher } from './crl-publisher.js';
import type { CertificateSubjects } from './subjects.js';

export interface CertificateContext {
  persistence: Persistence;
  authority: CertificateAuthority;
  subjects: CertificateSubjects;
  crl: CrlPublisher;
}
