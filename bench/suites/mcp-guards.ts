// The MCP server guard's cost per call (issue 15, acceptance 2d): guardServer's check of one
// incoming tools/call — envelope shape, sender passport (cached after its first message) and its
// status in a 10,000-entry feed, ±5 min window, ECDSA verify of the envelope, replay cache, and
// the per-call credential (JWT verify, aud, tool, exp, cnf.jkt) — timed one call at a time, p50
// and p99, beside two raw ECDSA verifies (the floor: one for the envelope, one for the
// credential). Also the host side: validating arguments against the signed inputSchema. A local
// TA key signs everything with the service's own code; the service process is not involved.
import { generateKeyPairSync } from 'node:crypto';
import {
  callCredentialClaims,
  CREDENTIAL_META_KEY,
  signCallCredential,
} from '../../src/credentials/call-credential.js';
import { createP256Signer } from '../../src/crypto/signer.js';
import { ANCHORS_TYPE, signAnchors } from '../../src/keys/anchors.js';
import { compileArgumentContracts, createServerGuard, signMessage } from '../../src/mcp/index.js';
import { signPassport } from '../../src/passports/document.js';
import { createRevocationSet, trustedKeys, type FeedEntry } from '../../src/verifier/index.js';
import type { BenchContext } from '../run.js';

const AGENTS = 100;
const CALLS = 20_000;
const REVOKED = 10_000;
const ISSUER = 'bench-ta.example';
const SERVER = 'com.example/weather';

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

export async function mcpGuards(ctx: BenchContext): Promise<void> {
  const now = new Date();
  const ta = createP256Signer(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
  const anchors = signAnchors(
    {
      type: ANCHORS_TYPE,
      issuer: ISSUER,
      version: 1,
      issued_at: now.toISOString(),
      expires_at: new Date(now.getTime() + 86_400_000).toISOString(),
      keys: [{ ...ta.publicJwk, kid: ta.kid, alg: 'ES256', use: 'sig', status: 'active' }],
      ca_certificates: [],
      revoked_kids: [],
    },
    [ta],
  );
  const keys = trustedKeys(anchors);
  const id = (i: number) => `asp_${i.toString(16).padStart(32, '0')}`;
  const agents = Array.from({ length: AGENTS }, (_, i) => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const signer = createP256Signer(privateKey);
    const passport = signPassport(
      {
        passportId: id(i),
        subjectType: 'agent',
        name: `agent-${i}`,
        version: '1.0.0',
        capabilities: ['tools:call'],
        publicKey: signer.publicJwk,
        origin: null,
        trustLevel: 2,
        issuedAt: new Date(now.getTime() - 60_000),
        expiresAt: new Date(now.getTime() + 86_400_000),
        issuer: ISSUER,
        issuerChain: [],
      },
      ta,
    );
    const credential = signCallCredential(
      ta,
      callCredentialClaims({
        issuer: ISSUER,
        passportId: id(i),
        server: SERVER,
        tool: 'get_forecast',
        jkt: signer.kid,
        now,
        ttlSeconds: 300,
      }),
    );
    return { privateKey, passport: JSON.parse(JSON.stringify(passport)) as unknown, credential };
  });
  const revoked: FeedEntry[] = Array.from({ length: REVOKED }, (_, i) => ({
    seq: i + 1,
    kind: 'passport',
    subject: id(AGENTS + i),
    reason: 'keyCompromise',
    revoked_at: now.toISOString(),
    data: {},
  }));
  const trust = { keys, revocations: createRevocationSet(revoked) };
  const guard = createServerGuard({
    trust,
    passports: async (pid) => agents[parseInt(pid.slice(4), 16)]?.passport,
    serverName: SERVER,
    requireCredential: true,
  });

  // As a server receives them: parsed from JSON text, each with its own nonce.
  const messages = Array.from({ length: CALLS }, (_, n) => {
    const a = agents[n % AGENTS]!;
    const m = {
      jsonrpc: '2.0',
      id: n,
      method: 'tools/call',
      params: {
        name: 'get_forecast',
        arguments: { city: 'Oslo', days: 3 },
        _meta: { [CREDENTIAL_META_KEY]: a.credential },
      },
    };
    return JSON.parse(
      JSON.stringify(signMessage(m, { passportId: id(n % AGENTS), privateKey: a.privateKey, now })),
    ) as Record<string, unknown>;
  });

  // Warm up on the first messages (passport fetch + verify, JIT); they are not timed again.
  const WARM = 1000;
  for (let i = 0; i < WARM; i += 1) await guard.verifyIncoming(messages[i]!);
  const times: number[] = [];
  for (let i = WARM; i < CALLS; i += 1) {
    const t0 = performance.now();
    await guard.verifyIncoming(messages[i]!);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const p50 = percentile(times, 0.5);
  const floor = ctx.limits.ecdsaVerify ? 2000 / ctx.limits.ecdsaVerify.value : undefined;
  ctx.add({
    group: 'mcp',
    name: 'guardServer check per tools/call (envelope + credential)',
    figure: {
      value: p50,
      unit: 'ms p50',
      how: `one call at a time, ${times.length} calls from ${AGENTS} agents, ${REVOKED}-entry feed`,
    },
    limit:
      floor === undefined
        ? undefined
        : { value: floor, unit: 'ms', how: 'two raw ECDSA verifies', name: '2 × raw verify' },
    lowerIsBetter: true,
    details: `p99 ${percentile(times, 0.99).toFixed(3)} ms, max ${times[times.length - 1]!.toFixed(2)} ms; target p50 < 1 ms`,
  });

  // Host side: the default-deny argument check of guardClient (signed inputSchema, compiled once).
  const contracts = compileArgumentContracts([
    {
      name: 'get_forecast',
      inputSchema: {
        type: 'object',
        properties: {
          city: { type: 'string', minLength: 1 },
          days: { type: 'integer', minimum: 1, maximum: 14 },
        },
        required: ['city'],
        $schema: 'http://json-schema.org/draft-07/schema#',
      },
    },
  ]);
  const args = { city: 'Oslo', days: 3 };
  const hostTimes: number[] = [];
  for (let i = 0; i < 20_000; i += 1) {
    const t0 = performance.now();
    if (!contracts.check('get_forecast', args).ok) throw new Error('valid arguments refused');
    hostTimes.push(performance.now() - t0);
  }
  hostTimes.sort((a, b) => a - b);
  ctx.add({
    group: 'mcp',
    name: 'guardClient argument check per tools/call (signed inputSchema)',
    figure: {
      value: percentile(hostTimes, 0.5) * 1000,
      unit: 'µs p50',
      how: 'one call at a time, 20,000 calls',
    },
    lowerIsBetter: true,
    details: `p99 ${(percentile(hostTimes, 0.99) * 1000).toFixed(1)} µs`,
  });
}
