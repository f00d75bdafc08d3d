// The C2SP tlog-tiles API (/v1/log/tiles) checked against the leaves themselves, by code written
// here from the specs (C2SP tlog-tiles, RFC 9162 §2.1): level-0 tiles are the leaf hashes,
// level-1 hashes are the roots of 256-leaf subtrees, partial tiles are prefixes, the root of the
// signed checkpoint follows from the tiles alone, and entry bundles hold the leaves for those who
// may read them.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';

const h = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
/** RFC 9162 MTH over leaf hashes, splitting at the largest power of two below n. */
function treeHash(hashes: Buffer[]): Buffer {
  if (hashes.length === 1) return hashes[0]!;
  let split = 1;
  while (split * 2 < hashes.length) split *= 2;
  return h(Buffer.of(1), treeHash(hashes.slice(0, split)), treeHash(hashes.slice(split)));
}
/** The hashes of a tile body: 32-byte slices. */
const hashesOf = (body: Buffer) =>
  Array.from({ length: body.length / 32 }, (_, i) => body.subarray(i * 32, i * 32 + 32));

describe('C2SP tlog-tiles read API', () => {
  let ta: TestService;
  let size = 0;
  let leaves: Buffer[] = [];
  let leafHashes: Buffer[] = [];
  let rootHash: Buffer;
  let auditorOfA: string;

  const get = async (path: string, token?: string) => {
    const res = await fetch(`${ta.url}/v1/log/tiles${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return { res, body: Buffer.from(await res.arrayBuffer()) };
  };

  before(async () => {
    ta = await startTestService({ listen: true });
    auditorOfA = (await createPublisherWithToken(ta, 'Tiles A', 'auditor')).token;
    // More than 256 leaves: one full level-0 tile, a partial one, a partial level-1 tile.
    for (let i = 0; i < 270; i += 1) {
      const r = await ta.request('POST', '/v1/publishers', {
        token: ta.adminToken,
        body: { name: `Tiles ${i}` },
      });
      assert.equal(r.status, 201);
    }
    await ta.log.flush();
    const cp = await ta.request('GET', '/v1/log/checkpoint');
    size = cp.json.tree_size;
    rootHash = Buffer.from(cp.json.root_hash, 'base64');
    assert.ok(size > 256 && size < 512, `tree of ${size}`);
    for (let start = 1; start <= size; start += 1000) {
      const page = await ta.request(
        'GET',
        `/v1/log/entries?start=${start}&end=${Math.min(size, start + 999)}`,
        { token: ta.adminToken },
      );
      leaves.push(...page.json.entries.map((e: any) => Buffer.from(e.leaf_input, 'base64')));
    }
    leafHashes = leaves.map((l) => h(Buffer.of(0), l));
  });
  after(() => ta.stop());

  it('the checkpoint is the signed note of the JSON checkpoint, not cached', async () => {
    const { res, body } = await get('/checkpoint');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    const lines = body.toString('utf8').split('\n');
    assert.equal(Number(lines[1]), size);
    assert.equal(lines[2], rootHash.toString('base64'));
  });

  it('level 0 holds the leaf hashes: the full tile 0 and the partial tile 1', async () => {
    const full = await get('/tile/0/000');
    assert.equal(full.res.status, 200);
    assert.equal(full.res.headers.get('content-type'), 'application/octet-stream');
    assert.equal(full.res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(full.body.length, 8192);
    assert.deepEqual(hashesOf(full.body), leafHashes.slice(0, 256));
    const width = size - 256;
    const partial = await get(`/tile/0/001.p/${width}`);
    assert.equal(partial.res.status, 200);
    assert.deepEqual(hashesOf(partial.body), leafHashes.slice(256));
    // A narrower partial tile is a prefix, and never changes either.
    const narrow = await get('/tile/0/000.p/17');
    assert.deepEqual(hashesOf(narrow.body), leafHashes.slice(0, 17));
  });

  it('level 1 holds subtree roots, and the checkpoint root follows from the tiles alone', async () => {
    const l1 = await get('/tile/1/000.p/1');
    assert.equal(l1.res.status, 200);
    assert.deepEqual(hashesOf(l1.body), [treeHash(leafHashes.slice(0, 256))]);
    // What a tiles client does: the 256-leaf subtree from level 1, the rest from level 0.
    const rest = hashesOf((await get(`/tile/0/001.p/${size - 256}`)).body);
    assert.deepEqual(h(Buffer.of(1), hashesOf(l1.body)[0]!, treeHash(rest)), rootHash);
  });

  it('tiles the tree does not hold are 404; malformed paths are 400 naming the parameter', async () => {
    for (const path of [
      '/tile/0/001',
      '/tile/0/002.p/1',
      `/tile/0/001.p/${size - 255}`,
      '/tile/1/000',
    ])
      assert.equal((await get(path)).res.status, 404, path);
    const bad: Array<[string, string]> = [
      ['/tile/0/5', 'path.index'],
      ['/tile/0/x000/005', 'path.index'],
      ['/tile/0/000.p/256', 'path.index'],
      ['/tile/0/000.p/0', 'path.index'],
      ['/tile/0/000.p/017', 'path.index'],
      ['/tile/64/000', 'path.level'],
      ['/tile/00/000', 'path.level'],
      ['/tile/entries/12', 'path.index'],
    ];
    for (const [path, field] of bad) {
      const { res, body } = await get(path, path.includes('entries') ? ta.adminToken : undefined);
      assert.equal(res.status, 400, path);
      assert.equal(JSON.parse(body.toString()).errors[0].field, field, path);
    }
  });

  it('entry bundles hold the leaves, uint16-length-prefixed, for callers who may read them all', async () => {
    const { res, body } = await get('/tile/entries/000', ta.adminToken);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'private, max-age=31536000, immutable');
    const read: Buffer[] = [];
    for (let p = 0; p < body.length;) {
      const n = body.readUInt16BE(p);
      read.push(body.subarray(p + 2, p + 2 + n));
      p += 2 + n;
    }
    assert.deepEqual(read, leaves.slice(0, 256));
    assert.deepEqual(
      read.map((l) => h(Buffer.of(0), l)),
      hashesOf((await get('/tile/0/000')).body),
    );
    const partial = await get(`/tile/entries/001.p/${size - 256}`, ta.adminToken);
    assert.equal(partial.res.status, 200);
    assert.equal((await get('/tile/entries/000')).res.status, 401);
    // A publisher's auditor may not read other publishers' events, which the bundle holds.
    const foreign = await get('/tile/entries/000', auditorOfA);
    assert.equal(foreign.res.status, 403);
    assert.match(JSON.parse(foreign.body.toString()).detail, /may not read/);
  });
});
