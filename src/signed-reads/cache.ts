// Signed reads served from memory: status documents (/api/verify/{id}), the signed passport
// revocation list (/api/crl), OCSP answers without a nonce, revocation-feed pages and manifests
// by digest (their status view) are built once per state change instead of once per request. Invalidation comes from the database
// (NOTIFY ta_changes from triggers, delivered at commit to every instance — db/client.ts
// listenChanges), so instances never disagree for longer than a notice takes to arrive.
//
// A read that raced a change must not store what it read before the change: each kind has a
// generation, taken before the read's queries and checked when storing; a notice bumps it.
// Entries also age out after MAX_AGE_MS (the bound on staleness if notices were ever lost while
// the listening connection was down — a reconnect clears everything).

/** What can be cached, and which tables' changes make each stale. */
export type SignedReadKind = 'status' | 'passport-crl' | 'ocsp' | 'feed' | 'manifest';

const STALE_AFTER: Record<string, readonly SignedReadKind[]> = {
  passports: ['status', 'passport-crl'],
  revocations: ['status', 'passport-crl', 'feed', 'ocsp', 'manifest'],
  manifests: ['manifest'],
  certificates: ['ocsp'],
  authority_keys: ['status', 'passport-crl', 'feed', 'ocsp'],
};
const ALL: readonly SignedReadKind[] = ['status', 'passport-crl', 'ocsp', 'feed', 'manifest'];

/** Longest an entry is served, whatever the notices say. */
export const MAX_AGE_MS = 30_000;
/** Entries per kind; the oldest go first. */
const MAX_ENTRIES = 20_000;

export interface CachedRead {
  body: Uint8Array | string;
  /** HTTP status it is served with. */
  status: number;
  contentType: string;
  /** ETag, quoted (weak ones W/-prefixed). */
  etag: string;
  /** Cache-Control to send; default no-cache. */
  cacheControl?: string;
  /** The document's own next_update / nextUpdate (sent as Expires). */
  nextUpdate?: Date;
  /** Stale from then on whatever the notices say (e.g. a VALID status when the passport expires). */
  freshUntil?: Date;
}

interface Slot {
  read: CachedRead;
  storedAt: number;
}

export interface SignedReadCache {
  /** The generation to pass to `set` — take it before reading the database. */
  generation(kind: SignedReadKind): number;
  get(kind: SignedReadKind, key: string): CachedRead | undefined;
  /** Stores unless a change arrived since `generation` was taken. */
  set(kind: SignedReadKind, key: string, generation: number, read: CachedRead): void;
  /** A table changed ('*': anything may have). */
  changed(table: string): void;
  /** Entries now held, by kind (for tests and metrics). */
  size(kind: SignedReadKind): number;
}

export function createSignedReadCache(now: () => number = Date.now): SignedReadCache {
  const slots = new Map<SignedReadKind, Map<string, Slot>>(ALL.map((k) => [k, new Map()]));
  const generations = new Map<SignedReadKind, number>(ALL.map((k) => [k, 0]));
  return {
    generation: (kind) => generations.get(kind)!,
    get: (kind, key) => {
      const m = slots.get(kind)!;
      const slot = m.get(key);
      if (!slot) return undefined;
      if (
        now() - slot.storedAt > MAX_AGE_MS ||
        (slot.read.freshUntil && slot.read.freshUntil.getTime() <= now())
      ) {
        m.delete(key);
        return undefined;
      }
      return slot.read;
    },
    set: (kind, key, generation, read) => {
      if (generations.get(kind) !== generation) return;
      const m = slots.get(kind)!;
      m.delete(key);
      m.set(key, { read, storedAt: now() });
      if (m.size > MAX_ENTRIES) m.delete(m.keys().next().value!);
    },
    changed: (table) => {
      const kinds = table === '*' ? ALL : (STALE_AFTER[table] ?? []);
      for (const k of kinds) {
        generations.set(k, generations.get(k)! + 1);
        slots.get(k)!.clear();
      }
    },
    size: (kind) => slots.get(kind)!.size,
  };
}
