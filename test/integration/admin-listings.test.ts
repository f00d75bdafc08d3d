// The listing and counting operations behind the admin UI, on the real stores: passports by
// state, subject, owner and free text in keyset pages; manifests, namespaces, agents, servers;
// active passports; revocations of the last 24 hours (passports + the revocations table).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { listAgents } from '../../src/agents/agent.js';
import { fixedClock } from '../../src/clock.js';
import { ForbiddenError, InvalidRequestError } from '../../src/errors.js';
import { listManifests } from '../../src/manifests/list.js';
import {
  countActivePassports,
  listPassports,
  type ListPassportsOptions,
  type PassportPosition,
} from '../../src/passports/list.js';
import { countPendingNamespaces, listNamespaces } from '../../src/registry/namespace-read.js';
import type { Principal } from '../../src/auth/principal.js';
import { countRecentRevocations, countRevocationsSince } from '../../src/revocation/recent.js';
import { issueAgentPassport, rotate } from '../support/passports.js';
import {
  manifestsPath,
  READ_FILE_TOOL,
  registeredServer,
  verifiedNamespace,
  WEATHER_TOOL,
} from '../support/registry.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';

const ADMIN: Principal = {
  kind: 'admin-session',
  sessionId: 'ses_test',
  username: 'alice',
  role: 'admin',
  publisherId: null,
};
const HOUR = 3_600_000;

describe('admin listings and counts', () => {
  const clock = fixedClock(new Date());
  const iat = () => Math.floor(clock.now().getTime() / 1000);
  let ta: TestService;
  let a: { publisherId: string; token: string; tokenId: string };
  let b: { publisherId: string; token: string; tokenId: string };
  const ids: Record<string, string> = {};
  let rotatedKid = '';

  const issue = async (token: string, name: string, o: { ttlDays?: number } = {}) => {
    const r = await issueAgentPassport(ta, token, { name, iat: iat(), ...o });
    assert.equal(r.res.status, 201, r.res.text);
    return { id: r.res.json.passport.passport_id as string, key: r.key };
  };
  const all = async (principal: Principal, o: Omit<ListPassportsOptions, 'limit'>) =>
    (await listPassports(ta.persistence, principal, { ...o, limit: 500 })).items.map(
      (r) => r.passportId,
    );

  before(async () => {
    ta = await startTestService({ clock });
    a = await createPublisherWithToken(ta, 'Acme');
    b = await createPublisherWithToken(ta, 'Bolt');
    ids.alpha = (await issue(a.token, 'Alpha-Bot')).id;
    clock.advance(1000);
    const beta = await issue(a.token, 'beta-bot');
    ids.beta = beta.id;
    clock.advance(1000);
    // Two passports issued at the same instant: the keyset must still page through both.
    ids.gamma = (await issue(a.token, 'gamma-bot', { ttlDays: 1 })).id;
    ids.delta = (await issue(b.token, 'alpha-helper')).id;
    clock.advance(1000);
    const rotated = await rotate(ta, a.token, ids.beta, beta.key, { iat: iat() });
    assert.equal(rotated.res.status, 201, rotated.res.text);
    ids.beta2 = rotated.res.json.passport.passport_id;
    rotatedKid = rotated.key.kid;
    clock.advance(1000);
    assert.equal(
      (
        await ta.request('POST', `/v1/passports/${ids.alpha}/revoke`, {
          token: a.token,
          body: { reason: 'keyCompromise' },
        })
      ).status,
      200,
    );
  });
  after(async () => ta.stop());

  it('lists passports newest first, and keyset pages visit each exactly once, ties included', async () => {
    assert.deepEqual(await all(ADMIN, {}), [
      ids.beta2,
      ...[ids.gamma, ids.delta].sort().reverse(),
      ids.beta,
      ids.alpha,
    ]);
    const seen: string[] = [];
    let position: PassportPosition | undefined;
    for (let i = 0; i < 10; i += 1) {
      const page = await listPassports(ta.persistence, ADMIN, { limit: 2, after: position });
      seen.push(...page.items.map((r) => r.passportId));
      if (!page.next) break;
      position = page.next;
    }
    assert.deepEqual(seen, await all(ADMIN, {}));
  });

  it('filters by effective state: active, superseded, revoked, and expired once the clock passes expires_at', async () => {
    assert.deepEqual(
      new Set(await all(ADMIN, { state: 'active' })),
      new Set([ids.beta2, ids.gamma, ids.delta]),
    );
    assert.deepEqual(await all(ADMIN, { state: 'superseded' }), [ids.beta]);
    assert.deepEqual(await all(ADMIN, { state: 'revoked' }), [ids.alpha]);
    assert.deepEqual(await all(ADMIN, { state: 'expired' }), []);
    assert.equal(await countActivePassports(ta.persistence), 3);
    clock.advance(2 * 24 * HOUR);
    try {
      assert.deepEqual(await all(ADMIN, { state: 'expired' }), [ids.gamma]);
      assert.equal(await countActivePassports(ta.persistence), 2);
    } finally {
      clock.advance(-2 * 24 * HOUR);
    }
  });

  it('searches subject names (any case), passport id prefixes, key ids and chain identities', async () => {
    assert.deepEqual(
      new Set(await all(ADMIN, { search: 'ALPHA' })),
      new Set([ids.alpha, ids.delta]),
    );
    assert.deepEqual(await all(ADMIN, { search: ids.gamma!.slice(0, 20) }), [ids.gamma]);
    assert.deepEqual(await all(ADMIN, { search: ids.gamma! }), [ids.gamma]);
    assert.deepEqual(await all(ADMIN, { search: rotatedKid }), [ids.beta2]);
    assert.deepEqual(
      await all(ADMIN, { search: ids.beta! }),
      [ids.beta2, ids.beta],
      'the identity finds every passport of the chain',
    );
    assert.deepEqual(await all(ADMIN, { search: '%' }), [], 'LIKE wildcards match literally');
    assert.deepEqual(await all(ADMIN, { search: 'beta', state: 'active' }), [ids.beta2]);
  });

  it('scopes to a publisher: admins may name one, a publisher token sees only its own', async () => {
    assert.deepEqual(await all(ADMIN, { publisherId: b.publisherId }), [ids.delta]);
    const tokenOfB: Principal = {
      kind: 'token',
      tokenId: b.tokenId,
      role: 'publisher',
      publisherId: b.publisherId,
    };
    assert.deepEqual(await all(tokenOfB, {}), [ids.delta]);
    await assert.rejects(() => all(tokenOfB, { publisherId: a.publisherId }), ForbiddenError);
    await assert.rejects(
      () => listPassports(ta.persistence, ADMIN, { limit: 0 }),
      InvalidRequestError,
    );
    await assert.rejects(
      () => listPassports(ta.persistence, ADMIN, { limit: 10, search: 'x'.repeat(201) }),
      InvalidRequestError,
    );
  });

  it('counts revocations of the last 24 hours: passports and manifest yanks, nothing older', async () => {
    await verifiedNamespace(ta, a.token, 'com.acme');
    await registeredServer(ta, a.token, 'com.acme/weather');
    for (const [version, tools] of [
      ['1.0.0', [READ_FILE_TOOL]],
      ['1.1.0', [READ_FILE_TOOL, WEATHER_TOOL]],
    ] as const) {
      const r = await ta.request('POST', manifestsPath('com.acme/weather'), {
        token: a.token,
        body: { version, tools },
      });
      assert.equal(r.status, 201, r.text);
      clock.advance(1000);
    }
    const yank = await ta.request('POST', `${manifestsPath('com.acme/weather')}/1.0.0/yank`, {
      token: a.token,
      body: { reason: 'broken schema' },
    });
    assert.equal(yank.status, 200, yank.text);

    const now = await countRecentRevocations(ta.persistence, 24);
    assert.equal(now.total, 2);
    assert.equal(now.byKind.passport, 1);
    assert.equal(now.byKind.manifest, 1);
    const later = await countRevocationsSince(
      ta.persistence,
      new Date(clock.now().getTime() + 1000),
    );
    assert.equal(later.total, 0, 'nothing revoked after now');
    clock.advance(25 * HOUR);
    try {
      assert.equal((await countRecentRevocations(ta.persistence, 24)).total, 0);
    } finally {
      clock.advance(-25 * HOUR);
    }
  });

  it('lists manifest versions newest first, by state and by server name, version or digest', async () => {
    const page = await listManifests(ta.persistence, { limit: 10 });
    assert.deepEqual(
      page.items.map((m) => m.version),
      ['1.1.0', '1.0.0'],
    );
    assert.deepEqual(
      (await listManifests(ta.persistence, { limit: 10, state: 'yanked' })).items.map(
        (m) => m.version,
      ),
      ['1.0.0'],
    );
    assert.equal(
      (await listManifests(ta.persistence, { limit: 10, search: 'WEATH' })).items.length,
      2,
    );
    assert.deepEqual(
      (await listManifests(ta.persistence, { limit: 10, search: '1.1.0' })).items.map(
        (m) => m.version,
      ),
      ['1.1.0'],
    );
    const digest = page.items[1]!.digest;
    assert.deepEqual(
      (await listManifests(ta.persistence, { limit: 10, search: digest })).items.map(
        (m) => m.digest,
      ),
      [digest],
    );
    const first = await listManifests(ta.persistence, { limit: 1 });
    assert.ok(first.next);
    const second = await listManifests(ta.persistence, { limit: 1, after: first.next });
    assert.deepEqual(
      second.items.map((m) => m.version),
      ['1.0.0'],
    );
    assert.equal(second.next, null);
  });

  it('lists namespaces by substring and publisher, and counts the pending ones', async () => {
    const claim = await ta.request('POST', '/v1/namespaces', {
      token: b.token,
      body: { namespace: 'io.bolt', url: 'https://bolt.io' },
    });
    assert.equal(claim.status, 201, claim.text);
    assert.deepEqual(
      (await listNamespaces(ta.persistence, ADMIN, { search: 'BOLT', limit: 10 })).map(
        (n) => n.namespace,
      ),
      ['io.bolt'],
    );
    assert.deepEqual(
      (await listNamespaces(ta.persistence, ADMIN, { publisherId: a.publisherId, limit: 10 })).map(
        (n) => n.namespace,
      ),
      ['com.acme'],
    );
    assert.equal(await countPendingNamespaces(ta.persistence), 1);
    assert.equal(await ta.persistence.stores.namespaces.count(), 2);
  });

  it('lists agents by name substring or exact id, and servers by namespace and publisher', async () => {
    const found = await listAgents(ta.persistence, ADMIN, { search: 'alpha', limit: 10 });
    assert.deepEqual(found.map((x) => x.name).sort(), ['Alpha-Bot', 'alpha-helper']);
    assert.deepEqual(
      (await listAgents(ta.persistence, ADMIN, { search: found[0]!.id, limit: 10 })).map(
        (x) => x.id,
      ),
      [found[0]!.id],
    );
    assert.equal(
      (await ta.persistence.stores.servers.list({ namespace: 'com.acme', limit: 10 })).length,
      1,
    );
    assert.equal(
      (await ta.persistence.stores.servers.list({ publisherId: b.publisherId, limit: 10 })).length,
      0,
    );
    assert.equal(await ta.persistence.stores.servers.count(), 1);
  });
});
