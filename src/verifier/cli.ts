// `npm run ta -- verify <passport|manifest|certificate|chain|anchors|log> …`: the client trust kit on the command
// line. Offline against a local anchors file (and a saved revocation feed), or online against a
// TA URL with a cache. Prints one line — OK on stdout, or the reason on stderr — and exits with a
// code per failure (exit-codes.ts). Takes its environment as arguments: no process globals.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { jwkThumbprint, type EcPublicJwk } from '../crypto/jwk.js';
import { readCertificateFile, readJson, Usage, type Values } from './cli-input.js';
import type { CliIo } from './cli-io.js';
import { loadTrust } from './cli-trust.js';
import { EXIT, ok, type ExitCode, type Verdict } from './exit-codes.js';
import type { ExpectedEvent } from './log-bundle.js';

export const VERIFY_HELP = `Usage: npm run ta -- verify <what> [FILE] [options]

  verify passport FILE                 a passport (JSON, or a {passport, status} API response):
                                       signature, issuer chain, expiry, revocation
  verify manifest FILE [--digest D] [--entry FILE]
                                       a manifest envelope (or GET /v1/manifests/… response):
                                       signature, tool pins, digest = pinned D, not yanked; with
                                       --entry, a GET /v0.1/servers/…/versions/… document: its
                                       server.json is the one signed in the manifest
  verify certificate FILE              an X.509 certificate (PEM, or a certificate response):
                                       chains to an issuing CA and root of the anchors, valid
                                       now, neither it nor its CA revoked
  verify chain FILE --first-key FILE   a key-continuity chain (GET /v1/passports/{id}/chain) from a
                                       pinned first key (a JWK, or a passport holding it)
  verify anchors [--out FILE]          walk the trust anchors to the newest version
  verify log --from FILE [--out FILE]  online: the TA's newest log checkpoint is signed and
                                       extends the checkpoint you kept (consistency proof);
                                       --out saves the newest for next time

Transparency log (verify passport / manifest / certificate):
  --require-log           also prove the artifact's creation event is in the TA's log: an
                          inclusion proof recomputed to the root of a checkpoint signed by a
                          trusted key and, as a signed note, by the log key the anchors list.
                          Online, FILE must be the create response (its \`log\` receipt)
  --bundle FILE           check that proof offline from a log bundle (implies the log check)
  --save-bundle FILE      online: write the bundle that was checked, for offline use later

Trust (offline):
  --anchors FILE          a trust-anchor document you trust (e.g. version 1, obtained out of band)
  --anchors-update FILE   a newer version to walk to; repeat in ascending order
  --revocations FILE      saved revocation feed: a page, or an array of pages read from since=0
  --allow-stale           accept a feed whose next_update has passed
Trust (online):
  --ta URL                the TA: walk its anchors from the trusted version and read its feed
  --cache DIR             where trusted anchors and the feed are kept (default ~/.cache/mcps-ta)
  --anchors FILE          the starting point the first time (later runs start from the cache)
Other:
  --now ISO-TIME          verify as of this instant

Exit codes: 0 ok · 1 internal · 2 usage · 3 TA unreachable · 4 revocation data bad or stale
  10 passport signature · 11 passport expired · 12 passport revoked · 13 passport invalid
  20 manifest signature · 21 digest ≠ pinned · 22 manifest yanked · 23 manifest invalid
  24 registry entry ≠ signed manifest
  30 chain invalid · 31 chain's current passport revoked
  40 anchors forged · 41 rollback · 42 fork · 43 expired · 44 anchors invalid
  50 log checkpoint signature · 51 log rollback · 52 log inconsistent · 53 log data invalid
  54 log proof required but unavailable (no receipt, not yet sequenced or checkpointed)
  60 certificate signature or chain · 61 certificate or CA expired · 62 certificate or CA revoked
  63 certificate invalid
`;

export type { CliIo } from './cli-io.js';

const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

function firstKeyFrom(value: unknown): EcPublicJwk {
  const jwk = ((value as { public_key?: unknown })?.public_key ?? value) as EcPublicJwk;
  if (
    typeof jwk !== 'object' ||
    jwk === null ||
    jwk.kty !== 'EC' ||
    typeof jwk.x !== 'string' ||
    typeof jwk.y !== 'string'
  ) {
    throw new Usage('--first-key must hold a public JWK or a passport with public_key');
  }
  return { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y };
}

async function verify(
  what: string,
  file: string | undefined,
  v: Values,
  io: CliIo,
  now: Date,
): Promise<Verdict<string>> {
  const needFile = (): string => {
    if (!file) throw new Usage(`verify ${what} needs a FILE`);
    return file;
  };
  if (!['passport', 'manifest', 'certificate', 'chain', 'anchors', 'log'].includes(what))
    throw new Usage(
      `unknown kind ${JSON.stringify(what)}: passport, manifest, certificate, chain, anchors or log`,
    );
  // Each kind's checks (and the log's) are imported when used: the CLI starts faster.
  if (what === 'log') return (await import('./cli-log.js')).verifyLog(v, io, now);
  if (what === 'manifest' && v.digest !== undefined && !DIGEST_PATTERN.test(v.digest as string))
    throw new Usage('--digest must be sha256: followed by 64 lowercase hex digits');
  const input =
    what === 'anchors'
      ? undefined
      : what === 'certificate'
        ? readCertificateFile(needFile())
        : readJson(needFile(), what);
  if (v.entry !== undefined && what !== 'manifest')
    throw new Usage('--entry goes with verify manifest');
  const entry = v.entry === undefined ? undefined : readJson(v.entry as string, 'registry entry');
  if (what === 'chain' && !v['first-key'])
    throw new Usage(
      'verify chain needs --first-key FILE (the JWK, or a passport, of the key you pinned)',
    );
  const firstKey =
    what === 'chain' ? firstKeyFrom(readJson(v['first-key'] as string, 'first key')) : undefined;

  const wantsLog =
    v['require-log'] === true || v.bundle !== undefined || v['save-bundle'] !== undefined;
  if (wantsLog && !['passport', 'manifest', 'certificate'].includes(what))
    throw new Usage(
      '--require-log, --bundle and --save-bundle go with verify passport, manifest or certificate',
    );
  if (v['save-bundle'] !== undefined && !v.ta)
    throw new Usage('--save-bundle is online: pass --ta URL');
  const trust = await loadTrust(v, io, now);
  if (!trust.ok) return trust;
  const { keys, revocations, note } = trust.value;
  const logCheck = async (expect: ExpectedEvent): Promise<Verdict<string>> => {
    if (!wantsLog) return ok('');
    const { checkLog } = await import('./cli-log.js');
    const r = await checkLog(v, io, trust.value, input, expect);
    if (!r.ok) return r;
    const signed = r.value.note_key
      ? `, signed note by log key ${r.value.note_key}`
      : ', no log key in the anchors (JSON checkpoint only)';
    return ok(
      `; in log ${r.value.origin} at seq ${r.value.seq} (${r.value.action}; checkpoint of size ${r.value.tree_size}${signed})`,
    );
  };
  switch (what) {
    case 'passport': {
      const { checkPassport } = await import('./passport.js');
      const r = checkPassport(input, { keys, revocations, now });
      if (!r.ok) return r;
      const p = r.value.passport;
      const chain = r.value.chain.length ? `, issuer chain of ${r.value.chain.length}` : '';
      const logged = await logCheck({
        actions: ['passport.issued', 'passport.rotated'],
        subject: { type: 'passport', id: p.passport_id },
        data: {
          passport_id: p.passport_id,
          kid: jwkThumbprint(firstKeyFrom(p)),
          expires_at: p.expires_at,
          trust_level: p.trust_level,
        },
      });
      if (!logged.ok) return logged;
      // subject_type is ours; an MCPS reference passport has none.
      return ok(
        `passport ${p.passport_id} (${p.subject_type ?? 'subject'} "${p.agent.name}", trust level ${p.trust_level}, expires ${p.expires_at}${chain})${logged.value} — ${note}`,
      );
    }
    case 'manifest': {
      const { checkManifest } = await import('./manifest.js');
      const r = checkManifest(input, {
        keys,
        revocations,
        pinnedDigest: v.digest as string | undefined,
      });
      if (!r.ok) return r;
      const m = r.value.manifest;
      const e =
        entry === undefined
          ? undefined
          : (await import('./registry-entry.js')).checkRegistryEntry(entry, r.value);
      if (e && !e.ok) return e;
      const served = e?.ok
        ? `, registry entry's server.json ${e.value.serverJsonDigest} is the signed one`
        : '';
      const resigned =
        r.value.tool_signatures === 'covered-by-envelope'
          ? ', re-signed: tool signatures by a key no longer trusted, covered by the envelope'
          : '';
      const logged = await logCheck({
        actions: ['manifest.published'],
        subject: { type: 'manifest', id: `${m.server}@${m.version}` },
        data: { digest: r.value.digest },
      });
      if (!logged.ok) return logged;
      return ok(
        `manifest ${m.server}@${m.version} ${r.value.digest} (${m.tools.length} tools, signed by ${r.value.kid}${resigned}${v.digest ? ', matches the pinned digest' : ''}${served})${logged.value} — ${note}`,
      );
    }
    case 'certificate': {
      const { checkCertificate } = await import('./certificate.js');
      const r = checkCertificate(input, {
        anchors: trust.value.anchors,
        revocations,
        now,
      });
      if (!r.ok) return r;
      const c = r.value;
      const logged = await logCheck({
        actions: ['certificate.issued', 'certificate.renewed'],
        subject: { type: 'certificate', id: c.serial },
        data: { certificate_sha256: c.fingerprint, not_after: c.notAfter.toISOString() },
      });
      if (!logged.ok) return logged;
      return ok(
        `certificate ${c.serial} (${c.sans.join(', ') || c.subject}, issued by ${c.issuerKid}, expires ${c.notAfter.toISOString()})${logged.value} — ${note}`,
      );
    }
    case 'chain': {
      const { checkKeyChain } = await import('./chain.js');
      const r = await checkKeyChain(input, { firstKey: firstKey!, keys, revocations });
      if (!r.ok) return r;
      return ok(
        `key-continuity chain of ${r.value.links} links: current key ${r.value.currentKid}, passport ${r.value.currentPassportId} — ${note}`,
      );
    }
    default: {
      if (v.out)
        writeFileSync(v.out as string, `${JSON.stringify(trust.value.anchors, null, 2)}\n`);
      return ok(
        `trust anchors of ${keys.issuer}: version ${trust.value.anchors.version}, expires ${trust.value.anchors.expires_at} — ${note}${v.out ? `; written to ${v.out as string}` : ''}`,
      );
    }
  }
}

/** Runs `verify …` with `argv` (after the word verify); returns the exit code. */
export async function runVerifyCli(argv: string[], io: CliIo): Promise<ExitCode> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        anchors: { type: 'string' },
        'anchors-update': { type: 'string', multiple: true },
        revocations: { type: 'string' },
        'allow-stale': { type: 'boolean' },
        ta: { type: 'string' },
        cache: { type: 'string' },
        digest: { type: 'string' },
        entry: { type: 'string' },
        'first-key': { type: 'string' },
        out: { type: 'string' },
        from: { type: 'string' },
        'require-log': { type: 'boolean' },
        bundle: { type: 'string' },
        'save-bundle': { type: 'string' },
        now: { type: 'string' },
        help: { type: 'boolean' },
      },
    });
    if (values.help || positionals.length === 0) {
      io.stdout(VERIFY_HELP);
      return values.help ? EXIT.ok : EXIT.usage;
    }
    const [what, file, ...extra] = positionals;
    if (extra.length) throw new Usage(`unexpected arguments: ${extra.join(' ')}`);
    const now = values.now === undefined ? new Date() : new Date(values.now);
    if (Number.isNaN(now.getTime())) throw new Usage('--now must be an ISO 8601 time');
    const r = await verify(what!, file, values, io, now);
    if (r.ok) {
      io.stdout(`OK ${r.value}`);
      return EXIT.ok;
    }
    io.stderr(`REJECTED (exit ${r.code}, ${r.reason}): ${r.message}`);
    return r.code;
  } catch (err) {
    if (
      err instanceof Usage ||
      (err instanceof TypeError &&
        'code' in err &&
        String((err as { code: unknown }).code).startsWith('ERR_PARSE_ARGS'))
    ) {
      io.stderr(`error: ${(err as Error).message} (npm run ta -- verify --help)`);
      return EXIT.usage;
    }
    io.stderr(`error: ${(err as Error).message}`);
    return EXIT.internal;
  }
}
