// The public transparency log (DESIGN.md §11): signed checkpoints (JSON, or a C2SP signed note),
// leaves, and RFC 9162 inclusion and consistency proofs. Hashes are standard base64.
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { InvalidRequestError } from '../../errors.js';
import {
  readConsistencyProof,
  readEventPosition,
  readInclusionProof,
  readLogCheckpoint,
  readLogEntries,
} from '../../log/read.js';
import { ACCESS, defineRoute } from '../access.js';
import type { AppEnv } from '../context.js';
import type { AppDeps } from '../deps.js';
import { ERRORS, IsoDateTime, jsonResponse } from '../schemas.js';
import { validationHook } from '../validation.js';

/** Leaves per entries page. */
export const MAX_ENTRIES = 1000;

const Base64Hash = z.string().openapi({
  description: 'SHA-256, standard base64',
  example: 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=',
});
const Checkpoint = z
  .object({
    origin: z.string(),
    tree_size: z.number().int(),
    root_hash: Base64Hash,
    timestamp: IsoDateTime,
    issuer_kid: z.string(),
    signature: z.string(),
  })
  .openapi('LogCheckpoint');
const Entry = z
  .object({
    seq: z.number().int().openapi({ description: 'The event seq; its leaf index is seq − 1' }),
    leaf_hash: Base64Hash,
    leaf_input: z.string().optional().openapi({
      description: 'base64 of the leaf: JCS of `event`; shown when the caller may read the event',
    }),
    event: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({ description: 'The audit event document (standard schema)' }),
  })
  .openapi('LogEntry');
const Entries = z.object({ entries: z.array(Entry) }).openapi('LogEntries');
const Inclusion = z
  .object({
    leaf_index: z.number().int(),
    tree_size: z.number().int(),
    audit_path: z.array(Base64Hash),
  })
  .openapi('LogInclusionProof');
const Consistency = z
  .object({ consistency_path: z.array(Base64Hash) })
  .openapi('LogConsistencyProof');
const Position = z
  .object({
    event_id: z.number().int(),
    seq: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "The event's seq (leaf index + 1); null while queued" }),
    state: z.enum(['queued', 'sequenced', 'checkpointed']).openapi({
      description:
        'queued: no seq yet · sequenced: a leaf, not yet covered by a signed checkpoint · checkpointed: covered by the latest checkpoint',
    }),
    checkpoint_tree_size: z
      .number()
      .int()
      .openapi({ description: 'Size of the latest signed checkpoint (0: none yet)' }),
  })
  .openapi('LogEventPosition');

const size = (name: string, description: string) =>
  z.coerce
    .number()
    .int()
    .min(0)
    .max(Number.MAX_SAFE_INTEGER)
    .openapi({ param: { name, in: 'query' }, description });
const seqParam = (name: string, description: string) =>
  z.coerce
    .number()
    .int()
    .min(1)
    .max(Number.MAX_SAFE_INTEGER)
    .openapi({ param: { name, in: 'query' }, description });

const checkpoint = defineRoute(ACCESS.public, {
  method: 'get',
  path: '/v1/log/checkpoint',
  tags: ['log'],
  summary: 'The latest signed checkpoint, or the one signed for ?tree_size=',
  description:
    'JSON in the signed-document scheme (`issuer_kid` names a JWKS key). With `Accept: text/plain` the same tree head as a C2SP ' +
    'tlog-checkpoint signed note (origin, tree size, base64 root hash, then an Ed25519 signature line by the log key listed in the trust anchors).',
  request: {
    query: z.object({
      tree_size: size('tree_size', 'A size the log signed a checkpoint for').optional(),
    }),
  },
  responses: {
    200: {
      description: 'The checkpoint',
      content: { 'application/json': { schema: Checkpoint }, 'text/plain': { schema: z.string() } },
    },
    400: ERRORS[400],
    404: ERRORS[404],
  },
});
const entries = defineRoute(ACCESS.public, {
  method: 'get',
  path: '/v1/log/entries',
  tags: ['log'],
  summary: `Leaves with seq in [start, end] (at most ${MAX_ENTRIES})`,
  description:
    'Every leaf hash is public. The leaf itself (JCS of the audit event) is shown for events about passports, certificates and manifests ' +
    "(public artifacts), to admins for every event, and to a publisher's auditor for that publisher's events.",
  request: {
    query: z.object({
      start: seqParam('start', 'First seq'),
      end: seqParam('end', 'Last seq (inclusive)'),
    }),
  },
  responses: { 200: jsonResponse(Entries, 'The leaves'), 400: ERRORS[400] },
});
const inclusion = defineRoute(ACCESS.public, {
  method: 'get',
  path: '/v1/log/proof/inclusion',
  tags: ['log'],
  summary: 'RFC 9162 §2.1.3 inclusion proof of event seq in the tree of tree_size leaves',
  request: {
    query: z.object({
      seq: seqParam('seq', 'The event'),
      tree_size: seqParam('tree_size', 'A tree size, e.g. of a checkpoint'),
    }),
  },
  responses: { 200: jsonResponse(Inclusion, 'The audit path, leaf to root'), 400: ERRORS[400] },
});
const consistency = defineRoute(ACCESS.public, {
  method: 'get',
  path: '/v1/log/proof/consistency',
  tags: ['log'],
  summary:
    'RFC 9162 §2.1.4 consistency proof from the tree of `first` leaves to the tree of `second`',
  request: {
    query: z.object({
      first: size('first', 'Older tree size'),
      second: size('second', 'Newer tree size'),
    }),
  },
  responses: { 200: jsonResponse(Consistency, 'The consistency path'), 400: ERRORS[400] },
});

const event = defineRoute(ACCESS.public, {
  method: 'get',
  path: '/v1/log/events/{event_id}',
  tags: ['log'],
  summary: "Resolve a write response's log receipt (`log.event_id`) to the event's seq",
  description:
    'A write that creates a passport, certificate or manifest version, or revokes one, answers with `log: {event_id, seq, event_uri}`. ' +
    'Events are sequenced in batches after the write commits (typically within 250 ms, then a signed checkpoint within about a second), ' +
    'so `seq` is usually null in the response: read it here, then GET /v1/log/proof/inclusion?seq=&tree_size= against a checkpoint.',
  request: {
    params: z.object({
      event_id: z.coerce
        .number()
        .int()
        .min(1)
        .max(Number.MAX_SAFE_INTEGER)
        .openapi({ param: { name: 'event_id', in: 'path' }, example: 42 }),
    }),
  },
  responses: {
    200: jsonResponse(Position, 'Where the event is'),
    400: ERRORS[400],
    404: ERRORS[404],
  },
});

export function logRoutes(deps: AppDeps) {
  const p = deps.persistence;
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(checkpoint, async (c) => {
    const { tree_size } = c.req.valid('query');
    const cp = await readLogCheckpoint(p, tree_size);
    const headers = {
      'cache-control': tree_size === undefined ? 'no-cache' : 'public, max-age=31536000, immutable',
      vary: 'accept',
    };
    if (/\btext\/plain\b/.test(c.req.header('accept') ?? '') && cp.note)
      return c.text(cp.note, 200, headers);
    return c.json(cp.document as z.infer<typeof Checkpoint>, 200, headers);
  });

  app.openapi(entries, async (c) => {
    const { start, end } = c.req.valid('query');
    if (end < start) throw InvalidRequestError.field('query.end', 'must not be less than start');
    if (end - start + 1 > MAX_ENTRIES)
      throw InvalidRequestError.field('query.end', `at most ${MAX_ENTRIES} entries per page`);
    const rows = await readLogEntries(p, c.get('principal'), start, end);
    return c.json(
      {
        entries: rows.map((e) => ({
          seq: e.seq,
          leaf_hash: e.leafHash.toString('base64'),
          ...(e.contents
            ? {
                leaf_input: e.contents.leaf.toString('base64'),
                event: e.contents.event as unknown as Record<string, unknown>,
              }
            : {}),
        })),
      },
      200,
    );
  });

  app.openapi(inclusion, async (c) => {
    const { seq, tree_size } = c.req.valid('query');
    const proof = await readInclusionProof(p, seq, tree_size);
    return c.json({ ...proof, audit_path: proof.audit_path.map((h) => h.toString('base64')) }, 200);
  });

  app.openapi(consistency, async (c) => {
    const { first, second } = c.req.valid('query');
    const path = await readConsistencyProof(p, first, second);
    return c.json({ consistency_path: path.map((h) => h.toString('base64')) }, 200);
  });

  app.openapi(event, async (c) => {
    const position = await readEventPosition(p, c.req.valid('param').event_id);
    // Once checkpointed the answer never changes; before, it changes within a second.
    c.header(
      'cache-control',
      position.state === 'checkpointed' ? 'public, max-age=31536000, immutable' : 'no-cache',
    );
    return c.json(position, 200);
  });

  return app;
}
