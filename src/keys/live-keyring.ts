// The keyring the running service uses: a snapshot that is replaced when the authority keys
// change — at once on the instance that changed them, and within `refreshMs` on every other
// instance sharing the database (it polls the newest trust-anchor version).
import type { Persistence } from '../stores.js';
import type { AnchorsDocument } from './anchors.js';
import { loadKeyring, type Keyring } from './keyring.js';

export interface LiveKeyring extends Keyring {
  /** The newest published trust-anchor document. */
  readonly anchors: AnchorsDocument;
  /** Re-reads keys and anchors now. */
  reload(): Promise<void>;
  /** Reloads when another instance published a newer anchors version. */
  refreshIfStale(): Promise<void>;
}

export async function createLiveKeyring(p: Persistence, kek: Buffer): Promise<LiveKeyring> {
  const read = async () => {
    const [records, anchors] = await Promise.all([
      p.stores.keys.listAll(),
      p.stores.anchors.latest(),
    ]);
    if (!anchors) throw new Error('no trust anchors published');
    return { keyring: loadKeyring(records, kek), anchors };
  };
  let current = await read();
  const live: LiveKeyring = {
    get documentSigner() {
      return current.keyring.documentSigner;
    },
    get jwks() {
      return current.keyring.jwks;
    },
    publicKeyFor: (kid) => current.keyring.publicKeyFor(kid),
    get root() {
      return current.keyring.root;
    },
    get issuing() {
      return current.keyring.issuing;
    },
    get issuingGenerations() {
      return current.keyring.issuingGenerations;
    },
    get logKey() {
      return current.keyring.logKey;
    },
    get caChainPem() {
      return current.keyring.caChainPem;
    },
    get anchors() {
      return current.anchors;
    },
    reload: async () => {
      current = await read();
    },
    refreshIfStale: async () => {
      const latest = await p.stores.anchors.latest();
      if (latest && latest.version !== current.anchors.version) current = await read();
    },
  };
  return live;
}
