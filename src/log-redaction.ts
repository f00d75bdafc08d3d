// What a log line may carry. Every object and message passes through here before pino writes
// it, so a log call cannot leak SQL parameters, cookies, tokens, CSRF values or key material even
// when it hands over a whole error:
// - drizzle 0.45 wraps driver errors as "Failed query: <sql>\nparams: <values>" and keeps
//   `query`/`params` on the error; the driver errors carry `detail` ("Key (x)=(value) …"),
//   `where`, `parameters`, `args`. Errors are rebuilt from an allow-list of fields, and their
//   message and stack lose the query text and parameters.
// - PostgreSQL data-exception messages (SQLSTATE class 22) quote the offending value
//   (`invalid input syntax for type uuid: "…"`): quoted text is withheld for that class.
// - Members whose name says secret (token, cookie, csrf, password, authorization, private key,
//   kek, params) are censored wherever they appear.

export const CENSOR = '[redacted]';
const WITHHELD = '[query text and parameters withheld from logs]';

/** Member names that never reach a log line, compared lowercased without `_` and `-`. */
const SECRET_NAMES = new Set([
  'token',
  'secret',
  'password',
  'passphrase',
  'authorization',
  'cookie',
  'setcookie',
  'csrf',
  'privatekey',
  'sealedprivatekey',
  'kek',
  'params',
  'parameters',
  'args',
  'detail',
  'where',
  'internalquery',
]);
const SECRET_SUFFIXES = ['token', 'secret', 'password', 'cookie', 'csrf', 'privatekey', 'hash'];

/** Verdicts by member name: log objects reuse a few dozen names, so each is decided once. */
const verdicts = new Map<string, boolean>();
const MAX_VERDICTS = 10_000;

function isSecretName(key: string): boolean {
  let v = verdicts.get(key);
  if (v === undefined) {
    const k = key.toLowerCase().replace(/[_-]/g, '');
    v = SECRET_NAMES.has(k) || SECRET_SUFFIXES.some((s) => k.endsWith(s));
    if (verdicts.size < MAX_VERDICTS) verdicts.set(key, v);
  }
  return v;
}

/** A message without drizzle's query text and parameters. */
export function scrubText(text: string): string {
  const at = text.indexOf('Failed query:');
  let out = at >= 0 ? `${text.slice(0, at)}Failed query: ${WITHHELD}` : text;
  out = out.replace(/(^|\n)\s*params: .*/g, `$1params: ${CENSOR}`);
  return out;
}

function sqlState(err: Record<string, unknown>): string | undefined {
  const code = err.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** An error as a plain object of allow-listed fields, cause chain included (depth-limited). */
export function redactError(err: unknown, depth = 0): Record<string, unknown> {
  if (!err || typeof err !== 'object') return { message: scrubText(String(err)) };
  const e = err as Record<string, unknown> & { message?: unknown; stack?: unknown; name?: unknown };
  const state = sqlState(e);
  let message = scrubText(typeof e.message === 'string' ? e.message : '');
  if (state?.startsWith('22')) message = message.replace(/"[^"]*"/g, '"…"');
  const out: Record<string, unknown> = {
    type:
      (e.constructor as { name?: string } | undefined)?.name ??
      (typeof e.name === 'string' ? e.name : 'Error'),
    message,
  };
  if (typeof e.code === 'string' || typeof e.code === 'number') out.code = e.code;
  for (const field of ['severity', 'table', 'column', 'constraint', 'routine', 'schema'] as const) {
    if (state && typeof e[field] === 'string') out[field] = e[field];
  }
  if (typeof e.stack === 'string') {
    // The first line(s) of a stack repeat the message: keep only the frames.
    const frames = e.stack.split('\n').filter((l) => /^\s+at /.test(l));
    out.stack = [`${String(out.type)}: ${message}`, ...frames].join('\n');
  }
  if (e.cause !== undefined && depth < 4) out.cause = redactError(e.cause, depth + 1);
  return out;
}

/** A log object with errors rebuilt, secrets censored and strings scrubbed (depth-limited). */
export function redactLogObject(value: unknown, depth = 0): unknown {
  if (value instanceof Error) return redactError(value);
  if (typeof value === 'string') return scrubText(value);
  if (!value || typeof value !== 'object' || depth > 6) return value;
  if (Array.isArray(value)) return value.map((v) => redactLogObject(v, depth + 1));
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return CENSOR; // key material comes as bytes
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = isSecretName(k) ? CENSOR : redactLogObject(v, depth + 1);
  return out;
}
