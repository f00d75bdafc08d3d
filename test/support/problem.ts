// Assertions about RFC 9457 problem documents.
import assert from 'node:assert/strict';
import type { TestResponse } from './service.js';

/** Asserts a problem+json response with `status`, optionally naming `field`. */
export function assertProblem(res: TestResponse, status: number, field?: string): void {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(res.json?.status, status);
  assert.equal(typeof res.json?.code, 'string');
  assert.match(res.json?.type ?? '', /^urn:mcps-ta:problem:/);
  if (field) {
    const fields = (res.json.errors ?? []).map((e: { field: string }) => e.field);
    assert.ok(
      fields.includes(field),
      `expected errors[] to name ${field}, got ${JSON.stringify(fields)}`,
    );
  }
}
