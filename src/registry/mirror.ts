// Mirroring (issue 17): an official-registry `/v0.1/servers` export imported as a separate,
// clearly unverified source. Entries are served on /v0.1 as they were exported, with
// `_meta["dev.mcps-ta/trust"].verified = false`, no signature, no trust level, no profile — they
// are never servers of the TA, so no passport (L3+) or certificate can name them. Re-importing a
// source is idempotent and reports what was added, changed and removed. A publisher holding the
// name's namespace verified may claim the mirrored name: its entries then say verified = true
// (still unsigned: publishing through the TA is what signs).
import { appendAuditEvent } from '../audit/append.js';
import { canonicalBytes } from '../crypto/jcs.js';
import { ForbiddenError, InvalidRequestError, NotFoundError } from '../errors.js';
import { sha256Digest } from '../manifests/manifest.js';
import {
  checkServerJsonExtras,
  jsonDepth,
  ServedServerJson,
} from '../manifests/server-json-schema.js';
import type { Persistence } from '../stores.js';
import type { MirroredEntry, MirroredOfficialMeta } from './mirror-store.js';
import { actorOf, assertActsFor, type Principal } from '../auth/principal.js';

const OFFICIAL_KEY = 'io.modelcontextprotocol.registry/official';
/** An import holds at most this many entries (a full official export is a few thousand). */
export const MIRROR_MAX_ENTRIES = 20_000;
const MAX_DEPTH = 32;

export interface ImportReport {
  source: string;
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
  /** Entries refused (not imported, not served), by index in the export and name. */
  rejected: RejectedEntry[];
}

/** An export entry that breaks the project's server.json schema or the export's shape. */
export interface RejectedEntry {
  index: number;
  /** The entry's server name when it has a string one, else null. */
  name: string | null;
  field: string;
  message: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

interface Parsed {
  name: string;
  version: string;
  serverJson: Record<string, unknown>;
  official: MirroredOfficialMeta;
}

/** Why `entry` cannot be served as a /v0.1 entry: [field, message], or null when it can. */
function entryProblem(entry: unknown, f: string): [string, string] | null {
  if (!isObject(entry) || !isObject(entry.server))
    return [`${f}.server`, 'must be a server.json object'];
  if (jsonDepth(entry, MAX_DEPTH) > MAX_DEPTH) return [f, `must nest at most ${MAX_DEPTH} levels`];
  // What /v0.1 serves for a mirrored entry is its server.json as exported: it must be one the
  // project's schema accepts for a served entry (schemas/server.schema.json, `$schema` present).
  const parsed = ServedServerJson.safeParse(entry.server);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = issue.path.map(String).join('.');
    return [`${f}.server${at ? `.${at}` : ''}`, issue.message];
  }
  try {
    checkServerJsonExtras(parsed.data, `${f}.server`);
  } catch (err) {
    if (err instanceof InvalidRequestError)
      return [err.issues[0]?.field ?? `${f}.server`, err.issues[0]?.message ?? err.message];
    throw err;
  }
  return null;
}

/**
 * The entries of an export `{servers: [{server, _meta}], metadata}`. An entry whose server.json
 * breaks the project's schema (or repeats a name@version) is refused and reported by index and
 * name; the rest are returned. Throws only when the document is no export at all.
 */
export function parseExport(
  doc: unknown,
  now: Date,
  field = 'body.export',
): { entries: Parsed[]; rejected: RejectedEntry[] } {
  if (!isObject(doc) || !Array.isArray(doc.servers))
    throw InvalidRequestError.field(
      field,
      'must be an official /v0.1/servers response: {servers: [{server, _meta}], metadata}',
    );
  if (doc.servers.length > MIRROR_MAX_ENTRIES)
    throw InvalidRequestError.field(`${field}.servers`, `at most ${MIRROR_MAX_ENTRIES} entries`);
  const seen = new Set<string>();
  const entries: Parsed[] = [];
  const rejected: RejectedEntry[] = [];
  doc.servers.forEach((entry: unknown, i: number) => {
    const f = `${field}.servers.${i}`;
    const named =
      isObject(entry) && isObject(entry.server) && typeof entry.server.name === 'string'
        ? entry.server.name.slice(0, 200)
        : null;
    const problem = entryProblem(entry, f);
    if (problem) {
      rejected.push({ index: i, name: named, field: problem[0], message: problem[1] });
      return;
    }
    const e = entry as {
      server: Record<string, unknown> & { name: string; version: string };
      _meta?: unknown;
    };
    const s = e.server;
    const key = `${s.name}@${s.version}`;
    if (seen.has(key)) {
      rejected.push({
        index: i,
        name: s.name,
        field: `${f}.server.version`,
        message: `duplicates ${key}`,
      });
      return;
    }
    seen.add(key);
    const o = isObject(e._meta) && isObject(e._meta[OFFICIAL_KEY]) ? e._meta[OFFICIAL_KEY] : {};
    const time = (v: unknown) =>
      typeof v === 'string' && !Number.isNaN(Date.parse(v))
        ? new Date(v).toISOString()
        : now.toISOString();
    const status = o.status === 'deprecated' || o.status === 'deleted' ? o.status : 'active';
    const official: MirroredOfficialMeta = {
      status,
      ...(typeof o.statusMessage === 'string' && o.statusMessage !== ''
        ? { statusMessage: o.statusMessage.slice(0, 1000) }
        : {}),
      publishedAt: time(o.publishedAt),
      updatedAt: time(o.updatedAt ?? o.publishedAt),
      isLatest: o.isLatest === true,
    };
    entries.push({ name: s.name, version: s.version, serverJson: s, official });
  });
  return { entries, rejected };
}

/**
 * Imports `doc` as source `source`: new entries are added, entries whose server.json or official
 * status differ are changed, entries of the source missing from `doc` are removed (hidden, kept
 * for the record). An entry refused by the schema is reported and not imported; if an earlier
 * import had it, it counts as missing (removed): the TA serves no mirrored copy it cannot
 * validate. One transaction with its audit event; an identical re-import changes nothing.
 */
export async function importMirror(
  p: Persistence,
  actor: Principal | 'cli',
  source: string,
  doc: unknown,
): Promise<ImportReport> {
  if (actor !== 'cli' && actor.role !== 'admin')
    throw new ForbiddenError('only admins import mirrors');
  const src = source.trim();
  if (src.length === 0 || src.length > 500)
    throw InvalidRequestError.field(
      'body.source',
      'must be 1–500 characters naming where the export comes from',
    );
  const now = p.clock.now();
  const { entries: parsed, rejected } = parseExport(doc, now);
  return p.transact(async (s) => {
    const existing = new Map(
      (await s.mirror.listBySource(src)).map((e) => [`${e.name}@${e.version}`, e]),
    );
    const positions = await s.mirror.maxPositions([...new Set(parsed.map((e) => e.name))]);
    const report: ImportReport = {
      source: src,
      added: 0,
      changed: 0,
      removed: 0,
      unchanged: 0,
      rejected,
    };
    const present = new Set<string>();
    for (const e of parsed) {
      const key = `${e.name}@${e.version}`;
      present.add(key);
      const contentDigest = sha256Digest(
        canonicalBytes({ server: e.serverJson, official: e.official }),
      );
      const old = existing.get(key);
      if (old && old.contentDigest === contentDigest && old.removedAt === null) {
        report.unchanged += 1;
        continue;
      }
      let position = old?.position;
      if (position === undefined) {
        position = (positions.get(e.name) ?? 0) + 1;
        positions.set(e.name, position);
      }
      const entry: MirroredEntry = {
        ...e,
        source: src,
        position,
        contentDigest,
        claimedBy: old?.claimedBy ?? null,
        claimedAt: old?.claimedAt ?? null,
        removedAt: null,
        importedAt: old?.importedAt ?? now,
        updatedAt: now,
      };
      await s.mirror.upsert(entry);
      if (old) report.changed += 1;
      else report.added += 1;
    }
    for (const [key, old] of existing) {
      if (present.has(key) || old.removedAt !== null) continue;
      await s.mirror.upsert({ ...old, removedAt: now, updatedAt: now });
      report.removed += 1;
    }
    await appendAuditEvent(s, p.clock, {
      actor: actorOf(actor),
      action: 'registry.mirror_imported',
      subject: `mirror:${src}`,
      data: {
        added: report.added,
        changed: report.changed,
        removed: report.removed,
        unchanged: report.unchanged,
        rejected: rejected.length,
      },
    });
    return report;
  });
}

/**
 * A verified publisher claims a mirrored name by proof: it must hold the name's namespace
 * verified (compared in lower case). The entries then say verified = true; nothing is signed.
 */
export async function claimMirrored(
  p: Persistence,
  principal: Principal,
  name: string,
  publisherId: string | null,
): Promise<{ name: string; claimed_by: string; versions: number }> {
  const owner = publisherId ?? principal.publisherId;
  if (!owner)
    throw InvalidRequestError.field('body.publisher_id', 'an admin token must name the publisher');
  assertActsFor(principal, owner);
  const namespace = name.slice(0, Math.max(0, name.indexOf('/'))).toLowerCase();
  return p.transact(async (s) => {
    const entries = await s.mirror.findByName(name);
    if (entries.length === 0) throw new NotFoundError(`no mirrored server ${name}`);
    const [ns] = await s.namespaces.findVerified([namespace], { lock: 'share' });
    if (!ns || ns.publisherId !== owner)
      throw new ForbiddenError(
        `claiming ${name} needs namespace ${namespace} verified by this publisher`,
      );
    const now = p.clock.now();
    const versions = await s.mirror.claim(name, owner, now);
    await appendAuditEvent(s, p.clock, {
      actor: actorOf(principal),
      action: 'registry.mirror_claimed',
      subject: `mirror-server:${name}`,
      data: { publisher_id: owner, namespace, versions },
    });
    return { name, claimed_by: owner, versions };
  });
}
