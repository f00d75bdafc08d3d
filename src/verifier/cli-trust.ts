// Where the verifier CLI's trust comes from: offline, an anchors file (walked through newer
// versions) and a saved revocation feed; online, the TA's anchors walked from the cached or given
// version and its feed, kept in a cache.
import type { AnchorsDocument } from '../keys/anchors.js';
import { checkTrustedAnchors, updateAnchors } from './anchors.js';
import { readJson, Usage, type Values } from './cli-input.js';
import type { CliIo } from './cli-io.js';
import { EXIT, reject, type Verdict } from './exit-codes.js';
import { syncTrust } from './online.js';
import { revocationsFromPages, type RevocationLookup } from './revocations.js';
import { defaultCacheRoot, openTrustCache } from './trust-cache.js';
import { trustedKeys, type TrustedKeys } from './trusted-keys.js';

export interface Trust {
  keys: TrustedKeys;
  anchors: AnchorsDocument;
  revocations?: RevocationLookup;
  /** How the trust was obtained, for the OK line. */
  note: string;
}

export async function loadTrust(v: Values, io: CliIo, now: Date): Promise<Verdict<Trust>> {
  const anchorsFile = v.anchors as string | undefined;
  const updates = (v['anchors-update'] as string[] | undefined) ?? [];
  if (v.ta) {
    const taUrl = v.ta as string;
    if (!/^https?:\/\/[^/]/.test(taUrl)) throw new Usage('--ta must be an http(s) URL');
    if (updates.length)
      throw new Usage('--anchors-update is for offline mode; online mode fetches every version');
    const cache = openTrustCache(
      (v.cache as string | undefined) ?? defaultCacheRoot(io.env),
      taUrl,
    );
    const cached = cache.read();
    let trusted: AnchorsDocument;
    if (cached) trusted = cached.anchors;
    else if (anchorsFile) {
      const t = checkTrustedAnchors(readJson(anchorsFile, 'anchors file'), now, true);
      if (!t.ok) return t;
      trusted = t.value;
    } else
      throw new Usage(
        `no trusted anchors for ${taUrl} yet: pass --anchors FILE (a trust-anchor document obtained out of band)`,
      );
    const sync = await syncTrust({ taUrl, trusted, feed: cached?.feed, now, fetch: io.fetch });
    if (!sync.ok) return sync;
    cache.write(sync.value.state);
    const a = sync.value.state.anchors;
    const walk = sync.value.walked.length ? `, walked ${trusted.version} → ${a.version}` : '';
    return {
      ok: true,
      value: {
        keys: trustedKeys(a),
        anchors: a,
        revocations: sync.value.revocations,
        note: `anchors v${a.version}${walk}; revocations checked online to seq ${sync.value.revocations.lastSeq}`,
      },
    };
  }
  if (!anchorsFile) throw new Usage('pass --anchors FILE (offline) or --ta URL (online)');
  const t = checkTrustedAnchors(readJson(anchorsFile, 'anchors file'), now, updates.length > 0);
  if (!t.ok) return t;
  const walked = updateAnchors(
    t.value,
    updates.map((f) => readJson(f, 'anchors update')),
    now,
  );
  if (!walked.ok) return walked;
  const anchors = walked.value;
  const keys = trustedKeys(anchors);
  const walk = updates.length ? `, walked ${t.value.version} → ${anchors.version}` : '';
  if (!v.revocations)
    return {
      ok: true,
      value: {
        keys,
        anchors,
        note: `anchors v${anchors.version}${walk}; revocation NOT checked (pass --revocations FILE or --ta URL)`,
      },
    };
  const raw = readJson(v.revocations as string, 'revocations file');
  const r = revocationsFromPages(Array.isArray(raw) ? raw : [raw], {
    keys,
    now,
    requireFresh: !v['allow-stale'],
  });
  if (!r.ok)
    return reject(
      EXIT.revocationData,
      r.reason,
      `revocation feed ${v.revocations as string}: ${r.message}`,
    );
  return {
    ok: true,
    value: {
      keys,
      anchors,
      revocations: r.set,
      note: `anchors v${anchors.version}${walk}; revocations as of ${r.final.issued_at} to seq ${r.set.lastSeq}`,
    },
  };
}
