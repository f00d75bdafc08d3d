// Configuration: read once from the environment, validated with zod, one readable error on failure.
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const optionalString = z
  .string()
  .transform((s) => s.trim())
  .transform((s) => (s === '' ? undefined : s))
  .optional();

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  DATA_DIR: z.string().min(1).default('./data'),
  TA_NAME: optionalString,
  TA_PUBLIC_URL: optionalString.pipe(
    z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }).optional(),
  ),
  TA_KEK: optionalString,
  TA_ADMIN_TOKEN: optionalString.pipe(
    z.string().min(32, 'must be at least 32 characters (use a random value)').optional(),
  ),
  TA_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  TA_ALLOW_PRIVATE_CHALLENGES: optionalString.pipe(
    z.enum(['0', '1', 'false', 'true'], { error: 'must be 1/true or 0/false' }).optional(),
  ),
  TA_CERT_VALIDITY_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(90, 'must be at most 90 (hard maximum)')
    .default(7),
  TA_CRL_VALIDITY_HOURS: z.coerce.number().int().min(1).max(168).default(24),
  TA_ALLOW_PRIVATE_WEBHOOKS: optionalString.pipe(
    z.enum(['0', '1', 'false', 'true'], { error: 'must be 1/true or 0/false' }).optional(),
  ),
  TA_WORKERS: z.coerce.number().int().min(1).max(64).optional(),
});

/** The validated, normalised configuration the service runs with. */
export interface Config {
  port: number;
  host: string;
  /** Set: use this PostgreSQL. Unset: embedded PGlite under `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** The TA's name: `issuer` of everything it signs and the `aud` of proofs. */
  taName: string;
  /** Base URL written into discovery, CRL distribution points and OCSP URLs (no trailing slash). */
  publicUrl: string;
  /** Key-encryption key (32 bytes) if supplied; otherwise one is generated into `dataDir`. */
  kek: Buffer | undefined;
  adminToken: string | undefined;
  bodyLimitBytes: number;
  /** Default validity of issued certificates, days (1–90; requests may ask for up to 90). */
  certValidityDays: number;
  /** nextUpdate − thisUpdate of each CRL, hours; the CRL is replaced after half of it. */
  crlValidityHours: number;
  logLevel: (typeof LOG_LEVELS)[number];
  /**
   * Namespace challenges may be fetched from private/loopback addresses and over plain http, and a
   * loopback challenge URL is accepted for any namespace. Local development and tests only.
   */
  allowPrivateChallenges: boolean;
  /**
   * Revocation webhooks may target loopback/private addresses and plain http. Local development
   * and tests only: otherwise deliveries get the same SSRF guard as namespace challenges.
   */
  allowPrivateWebhooks: boolean;
  /**
   * Service processes sharing the port (node:cluster): default the number of cores on
   * PostgreSQL, always 1 on the embedded database (PGlite is one process).
   */
  workers: number;
}

/** Raised when the environment does not describe a runnable service; lists every bad field. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses a 32-byte key given as 64 hex characters or as (url-safe) base64.
 * Returns a message instead of a key when the value cannot be one.
 */
export function parseKek(value: string): Buffer | string {
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) {
    const key = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length === 32) return key;
  }
  return 'must be 32 random bytes as 64 hex characters or base64 (e.g. `openssl rand -hex 32`)';
}

/** Validates the environment once. Throws ConfigError naming every bad setting. */
export function loadConfig(env: NodeJS.ProcessEnv | Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path.join('.') || '(environment)';
      const raw = (env as Record<string, string | undefined>)[key];
      const shown =
        key === 'TA_KEK' || key === 'TA_ADMIN_TOKEN' || raw === undefined
          ? ''
          : ` (got ${JSON.stringify(raw)})`;
      problems.push(`${key}: ${issue.message}${shown}`);
    }
  }
  let kek: Buffer | undefined;
  const rawKek = parsed.success ? parsed.data.TA_KEK : optionalValue(env.TA_KEK);
  if (rawKek !== undefined) {
    const k = parseKek(rawKek);
    if (typeof k === 'string') problems.push(`TA_KEK: ${k}`);
    else kek = k;
  }
  if (
    parsed.success &&
    parsed.data.TA_WORKERS !== undefined &&
    parsed.data.TA_WORKERS > 1 &&
    !parsed.data.DATABASE_URL
  ) {
    problems.push(
      `TA_WORKERS: must be 1 with the embedded database (PGlite is one process); set DATABASE_URL to run more (got ${JSON.stringify(env.TA_WORKERS)})`,
    );
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);

  const d = parsed.data;
  const publicUrl = (d.TA_PUBLIC_URL ?? `http://localhost:${d.PORT}`).replace(/\/+$/, '');
  return {
    port: d.PORT,
    host: d.HOST,
    databaseUrl: d.DATABASE_URL,
    dataDir: path.resolve(d.DATA_DIR),
    taName: d.TA_NAME ?? publicUrl,
    publicUrl,
    kek,
    adminToken: d.TA_ADMIN_TOKEN,
    bodyLimitBytes: d.TA_BODY_LIMIT_BYTES,
    certValidityDays: d.TA_CERT_VALIDITY_DAYS,
    crlValidityHours: d.TA_CRL_VALIDITY_HOURS,
    logLevel: d.LOG_LEVEL,
    allowPrivateChallenges:
      d.TA_ALLOW_PRIVATE_CHALLENGES === '1' || d.TA_ALLOW_PRIVATE_CHALLENGES === 'true',
    allowPrivateWebhooks:
      d.TA_ALLOW_PRIVATE_WEBHOOKS === '1' || d.TA_ALLOW_PRIVATE_WEBHOOKS === 'true',
    workers: d.TA_WORKERS ?? (d.DATABASE_URL ? availableParallelism() : 1),
  };
}

function optionalValue(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t ? t : undefined;
}
