// Reads of passports: by id, by lineage, agent or key, key-continuity chain, and verification of a
// presented passport.
import { NotFoundError } from '../errors.js';
import type { Persistence } from '../stores.js';
import type { ChainLinkDocument } from './chain.js';
import type { PassportDeps } from './deps.js';
import { findPassport } from './lifecycle.js';
import type { PassportRecord } from './passport.js';
import { verifyPassport, type PassportVerification } from './verify.js';

export async function getPassport(d: PassportDeps, passportId: string): Promise<PassportRecord> {
  return findPassport(d.persistence.stores, passportId);
}

export interface KeyContinuityChain {
  identity: string;
  links: ChainLinkDocument[];
  current: PassportRecord;
}

/** The chain of the identity `passportId` belongs to, oldest → newest. */
export async function getChain(d: PassportDeps, passportId: string): Promise<KeyContinuityChain> {
  const s = d.persistence.stores;
  const record = await findPassport(s, passportId);
  const [links, lineage] = await Promise.all([
    s.chainLinks.listByLineage(record.lineageId),
    s.passports.listByLineage(record.lineageId),
  ]);
  if (links.length === 0) throw new NotFoundError(`no chain for ${passportId}`);
  const newest = links[links.length - 1]!.passportId;
  return {
    identity: record.lineageId,
    links: links.map((l) => l.document),
    current: lineage.find((r) => r.passportId === newest) ?? record,
  };
}

/**
 * Verifies a passport someone presents — TA-issued or issued under a delegated issuer — with
 * the strict verifier, treating as revoked every link this TA has revoked or superseded.
 */
export async function verifyPresentedPassport(
  d: PassportDeps,
  passport: unknown,
): Promise<PassportVerification> {
  const now = d.persistence.clock.now();
  const options = { issuer: d.issuer, taKeyFor: d.taKeyFor, now };
  const first = verifyPassport(passport, options);
  if (!first.ok) return first;
  const ids = [first.passport, ...first.chain].map((doc) => doc.passport_id);
  const known = await d.persistence.stores.passports.findMany(ids);
  const revoked = new Set(known.filter((r) => r.state !== 'active').map((r) => r.passportId));
  return revoked.size === 0
    ? first
    : verifyPassport(passport, { ...options, isRevoked: (id) => revoked.has(id) });
}

/** The passport `passportId` of any publisher, or undefined (admins, public status documents). */
export function findPassportRecord(
  p: Persistence,
  passportId: string,
): Promise<PassportRecord | undefined> {
  return p.stores.passports.findById(passportId);
}

/** Every passport of one identity (lineage), oldest first. */
export function listLineagePassports(p: Persistence, lineageId: string): Promise<PassportRecord[]> {
  return p.stores.passports.listByLineage(lineageId);
}

/** Every passport of an agent, oldest first (read the agent with getAgent first: that is the rule). */
export function listAgentPassports(p: Persistence, agentId: string): Promise<PassportRecord[]> {
  return p.stores.passports.listByAgent(agentId);
}

/** The newest passport certifying the key with RFC 7638 thumbprint `kid`, or undefined (admins). */
export function findNewestPassportByKid(
  p: Persistence,
  kid: string,
): Promise<PassportRecord | undefined> {
  return p.stores.passports.findNewestByKid(kid);
}
