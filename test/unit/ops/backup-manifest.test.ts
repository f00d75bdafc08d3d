// A backup file is input the operator may have fetched from anywhere: restore trusts nothing in
// it. The manifest names the dump entry, and that name becomes a file name at restore — a crafted
// `../…` must be refused before anything is written, not extracted outside the work directory.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../../src/config.js';
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  DUMP_ENTRY,
  DUMP_FORMAT,
  knownMigrations,
  parseManifest,
} from '../../../src/ops/backup-manifest.js';
import { OperatorRefusal } from '../../../src/ops/refusal.js';
import { restoreDatabase } from '../../../src/ops/restore.js';

/** A ustar archive with any entry names (the service's writer refuses unsafe ones). */
function tar(entries: Array<{ name: string; bytes: Buffer }>): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const h = Buffer.alloc(512, 0);
    h.write(e.name, 0, 'utf8');
    h.write('0000600\0', 100, 'ascii');
    h.write('0000000\0', 108, 'ascii');
    h.write('0000000\0', 116, 'ascii');
    h.write(`${e.bytes.length.toString(8).padStart(11, '0')}\0`, 124, 'ascii');
    h.write('00000000000\0', 136, 'ascii');
    h.write('        ', 148, 'ascii');
    h.write('0', 156, 'ascii');
    h.write('ustar\0', 257, 'ascii');
    h.write('00', 263, 'ascii');
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
    parts.push(h, e.bytes, Buffer.alloc((512 - (e.bytes.length % 512)) % 512, 0));
  }
  parts.push(Buffer.alloc(1024, 0));
  return Buffer.concat(parts);
}

function manifestFor(dump: Buffer, entry: string, kind: 'pglite' | 'postgres' = 'pglite') {
  const m = knownMigrations().at(-1)!;
  return {
    format: BACKUP_FORMAT,
    format_version: BACKUP_FORMAT_VERSION,
    created_at: new Date().toISOString(),
    source: { kind, server_version: '18.0' },
    schema_migration: { tag: m.tag, created_at: m.created_at },
    sealed_under_kek_ids: ['x'],
    dump: {
      entry,
      format: DUMP_FORMAT[kind],
      bytes: dump.length,
      sha256: createHash('sha256').update(dump).digest('hex'),
    },
    kek_included: false,
  };
}

describe('backup manifest: the dump entry', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'mcps-ta-manifest-'));
  after(() => rmSync(work, { recursive: true, force: true }));

  it('accepts only the entry name and format `backup` writes for the source kind', () => {
    const dump = Buffer.from('dump');
    const ok = parseManifest(Buffer.from(JSON.stringify(manifestFor(dump, DUMP_ENTRY.pglite))));
    assert.ok(typeof ok !== 'string', String(ok));
    for (const entry of ['../evil.tar.gz', '/tmp/evil', DUMP_ENTRY.postgres, 'a/b', '']) {
      const r = parseManifest(Buffer.from(JSON.stringify(manifestFor(dump, entry))));
      assert.equal(typeof r, 'string', `entry ${JSON.stringify(entry)} accepted`);
      assert.match(r as string, /dump\.entry/);
    }
    const wrongFormat = manifestFor(dump, DUMP_ENTRY.postgres, 'postgres');
    wrongFormat.dump.format = DUMP_FORMAT.pglite;
    assert.match(parseManifest(Buffer.from(JSON.stringify(wrongFormat))) as string, /dump\.format/);
  });

  it('restore refuses an archive whose manifest points outside the work directory, writing nothing there', async () => {
    const target = `mcps-ta-escape-${randomBytes(6).toString('hex')}`;
    const escaped = path.join(os.tmpdir(), target);
    const entry = `../${target}`;
    const dump = randomBytes(64);
    const file = path.join(work, 'crafted.tar');
    writeFileSync(
      file,
      tar([
        { name: 'manifest.json', bytes: Buffer.from(JSON.stringify(manifestFor(dump, entry))) },
        { name: entry, bytes: dump },
      ]),
    );
    const config = loadConfig({
      DATA_DIR: path.join(work, 'data'),
      TA_KEK: randomBytes(32).toString('hex'),
    });
    try {
      await assert.rejects(
        restoreDatabase(config, { in: file }),
        (err: unknown) => err instanceof OperatorRefusal && /dump\.entry/.test(err.message),
      );
      assert.ok(!existsSync(escaped), `restore wrote ${escaped}`);
      assert.ok(!existsSync(path.join(work, 'data', 'pglite')), 'nothing restored');
    } finally {
      rmSync(escaped, { force: true });
    }
  });

  it('restore refuses an oversized manifest before reading it into memory', async () => {
    const file = path.join(work, 'huge-manifest.tar');
    writeFileSync(file, tar([{ name: 'manifest.json', bytes: Buffer.alloc(65 * 1024, 0x20) }]));
    const config = loadConfig({
      DATA_DIR: path.join(work, 'data'),
      TA_KEK: randomBytes(32).toString('hex'),
    });
    await assert.rejects(
      restoreDatabase(config, { in: file }),
      (err: unknown) => err instanceof OperatorRefusal && /larger than/.test(err.message),
    );
  });
});
