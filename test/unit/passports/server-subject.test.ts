// Server passports through the domain function, with an in-memory ServerDirectory standing in
// for the registry: unknown server → 400, proven origin → L3, unproven → 409 (no passport names
// an unproven origin), admin approval of a server only while its origin is proven.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createPersistence } from '../../../src/db/persistence.js';
import { InvalidRequestError, ConflictError } from '../../../src/errors.js';
import { approvePassport } from '../../../src/passports/approve.js';
import { createChallenge } from '../../../src/passports/challenge.js';
import type { PassportDeps } from '../../../src/passports/deps.js';
import { issuePassport } from '../../../src/passports/issue.js';
import {
  inMemoryServerDirectory,
  type DirectoryServer,
} from '../../../src/passports/server-directory.js';
import { createP256Signer } from '../../../src/crypto/signer.js';
import { createPublisher } from '../../../src/registry/publisher.js';
import type { Principal } from '../../../src/auth/principal.js';
import { systemClock } from '../../../src/clock.js';
import { freshDatabase, type TestDatabase } from '../../support/database.js';
import { newSubjectKey, popProof } from '../../support/passports.js';
import { generateKeyPairSync } from 'node:crypto';

const NOT_PROVEN = 'news.example.com lies within no namespace this publisher holds verified';
let directory: Array<DirectoryServer & { publisherId: string }> = [];
function entries(publisherId: string) {
  directory = [
    {
      publisherId,
      name: 'com.example/weather',
      origin: 'https://weather.example.com',
      originUnproven: null,
      signedManifest: true,
    },
    {
      publisherId,
      name: 'com.example/news',
      origin: 'https://news.example.com',
      originUnproven: NOT_PROVEN,
      signedManifest: true,
    },
    {
      publisherId,
      name: 'com.example/lost',
      origin: 'https://lost.example.com',
      originUnproven: null,
      signedManifest: true,
    },
    {
      publisherId: 'pub_someone_else',
      name: 'org.other/tool',
      origin: 'https://tool.other.org',
      originUnproven: null,
      signedManifest: true,
    },
  ];
  return directory;
}

describe('server passports (domain, in-memory server directory)', () => {
  let db: TestDatabase;
  let d: PassportDeps;
  let publisher: Principal;
  const admin: Principal = {
    kind: 'token',
    tokenId: 'tok_admin',
    role: 'admin',
    publisherId: null,
  };

  before(async () => {
    db = await freshDatabase();
    const persistence = createPersistence(db.handle.db, systemClock);
    const pub = await createPublisher(persistence, 'cli', { name: 'Example Org' });
    publisher = { kind: 'token', tokenId: 'tok_pub', role: 'publisher', publisherId: pub.id };
    const signer = createP256Signer(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
    d = {
      persistence,
      signer,
      issuer: 'unit-ta',
      taKeyFor: (kid) => (kid === signer.kid ? signer.publicKey : undefined),
      servers: inMemoryServerDirectory(entries(pub.id)),
    };
  });
  after(async () => db.drop());

  async function issueServer(name: string, extra: Record<string, unknown> = {}) {
    const key = newSubjectKey();
    const { nonce } = await createChallenge(d.persistence, publisher);
    const proof = await popProof(key, nonce, { aud: 'unit-ta' });
    return issuePassport(d, publisher, {
      subjectType: 'server',
      name,
      publicKey: key.jwk,
      proof,
      ...extra,
    });
  }

  it('a server with a proven origin gets L3, with the registered origin', async () => {
    const r = await issueServer('com.example/weather');
    assert.equal(r.trustLevel, 3);
    assert.equal(r.document.subject_type, 'server');
    assert.equal(r.document.agent.name, 'com.example/weather');
    assert.equal(r.document.origin, 'https://weather.example.com');
    assert.equal(r.agentId, null);
  });

  it('a server whose origin is not proven gets no passport: 409 naming the reason', async () => {
    await assert.rejects(
      issueServer('com.example/news'),
      (e: unknown) =>
        e instanceof ConflictError &&
        e.issues[0]?.field === 'body.name' &&
        e.message.includes(NOT_PROVEN),
    );
  });

  it("an unknown server, or another publisher's, is refused naming body.name", async () => {
    for (const name of ['com.example/unknown', 'org.other/tool', 'not a server name']) {
      await assert.rejects(
        issueServer(name),
        (e: unknown) => e instanceof InvalidRequestError && e.issues[0]?.field === 'body.name',
      );
    }
  });

  it('an origin other than the registered one is refused', async () => {
    await assert.rejects(
      issueServer('com.example/weather', { origin: 'https://evil.example.net' }),
      (e: unknown) => e instanceof InvalidRequestError && e.issues[0]?.field === 'body.origin',
    );
  });

  it('approval lifts a proven server to L4 but refuses one whose origin is not proven', async () => {
    const proven = await issueServer('com.example/weather');
    assert.equal((await approvePassport(d, admin, proven.passportId, {})).trustLevel, 4);
    // Issued while proven; the proof is lost before the approval (namespace rejected or moved).
    const lost = await issueServer('com.example/lost');
    directory.find((e) => e.name === 'com.example/lost')!.originUnproven = NOT_PROVEN;
    await assert.rejects(
      approvePassport(d, admin, lost.passportId, {}),
      (e: unknown) =>
        e instanceof ConflictError &&
        e.issues[0]?.field === 'path.id' &&
        e.message.includes(NOT_PROVEN),
    );
  });
});
