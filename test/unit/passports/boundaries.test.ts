// src/passports is the domain (and, through index.ts, a client library): it must not depend on
// the HTTP framework or the database layer (STYLE.md dependency direction).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

const DIR = new URL('../../../src/passports/', import.meta.url);

describe('src/passports boundaries', () => {
  it('imports neither hono, drizzle, the db layer nor process.env', () => {
    const offenders: string[] = [];
    for (const f of readdirSync(DIR).filter((n) => n.endsWith('.ts'))) {
      const text = readFileSync(new URL(f, DIR), 'utf8');
      if (/from '(hono|@hono\/[^']+|drizzle-orm[^']*|postgres|@electric-sql\/[^']+)'|from '\.\.\/db\/|process\.env/.test(text)) offenders.push(f);
    }
    assert.deepEqual(offenders, []);
  });
});
