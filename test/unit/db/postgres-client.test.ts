// DATABASE_URL naming a Unix-socket directory the libpq way (src/db/postgres-client.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { socketDirectoryOf } from '../../../src/db/postgres-client.js';

describe('socket directory of a DATABASE_URL', () => {
  it('reads ?host=/dir and a percent-encoded host', () => {
    assert.equal(
      socketDirectoryOf('postgres://u@localhost:5433/db?host=/run/postgresql'),
      '/run/postgresql',
    );
    assert.equal(
      socketDirectoryOf('postgresql://u@%2Fvar%2Frun%2Fpostgresql:5432/db'),
      '/var/run/postgresql',
    );
  });
  it('a TCP host is no socket', () => {
    assert.equal(socketDirectoryOf('postgres://u@127.0.0.1:5432/db'), undefined);
    assert.equal(socketDirectoryOf('postgres://u@db.example:5432/db?host=db2'), undefined);
    assert.equal(socketDirectoryOf('not a url'), undefined);
  });
});
