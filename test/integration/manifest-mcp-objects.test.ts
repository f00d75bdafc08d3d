// Manifests take tools, prompts and resources exactly as a current MCP server lists them: every
// member of the MCP Tool / Prompt / Resource objects (execution, icons, _meta, a tool without a
// description) and members the TA does not know yet are accepted, kept byte-for-byte in the signed
// manifest and covered by its digest; the input limits still hold for all of them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { canonicalJson } from '../../src/crypto/jcs.js';
import {
  SERVER_IDENTITY_META_KEY,
  withoutAttestation,
} from '../../src/manifests/tool-attestation.js';
import { checkManifest } from '../../src/verifier/manifest.js';
import { trustedKeys } from '../../src/verifier/trusted-keys.js';
import { pythonVerifyToolAttestation } from '../support/mcps-python.js';
import { assertProblem } from '../support/problem.js';
import { manifestsPath, registeredServer, verifiedNamespace } from '../support/registry.js';
import {
  createPublisherWithToken,
  startTestService,
  type TestService,
} from '../support/service.js';

const SERVER = 'com.example/current';

// As @modelcontextprotocol/sdk 1.32 lists a tool registered with McpServer.registerTool.
const SDK_TOOL = {
  name: 'echo',
  title: 'Echo',
  description: 'Echoes its input',
  inputSchema: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    properties: { text: { type: 'string' } },
    required: ['text'],
    additionalProperties: false,
  },
  execution: { taskSupport: 'forbidden' },
  annotations: { readOnlyHint: true, title: 'Echo' },
  icons: [
    {
      src: 'https://example.com/echo.png',
      mimeType: 'image/png',
      sizes: ['48x48'],
      theme: 'light',
    },
  ],
  _meta: { 'com.example/build': 'abc123' },
  'x-future-member': { nested: [1, { kept: true }] },
};
const BARE_TOOL = { name: 'ping', inputSchema: { type: 'object' } };
const PROMPT = {
  name: 'greet',
  title: 'Greet',
  arguments: [{ name: 'who', required: true, 'x-arg-hint': 'a name' }],
  icons: [{ src: 'data:image/png;base64,AAAA' }],
  'x-prompt': 1,
};
const RESOURCE = {
  uri: 'file:///readme.md',
  name: 'readme',
  mimeType: 'text/markdown',
  icons: [{ src: 'https://example.com/r.svg' }],
  'x-resource': 'kept',
};

describe('manifests accept current MCP tool, prompt and resource objects', () => {
  let ta: TestService;
  let token: string;
  before(async () => {
    ta = await startTestService();
    ({ token } = await createPublisherWithToken(ta, 'Current Co'));
    await verifiedNamespace(ta, token, 'com.example');
    await registeredServer(ta, token, SERVER);
  });
  after(async () => ta.stop());

  const publish = (body: unknown) => ta.request('POST', manifestsPath(SERVER), { token, body });

  it('accepts every member (execution, icons, _meta, unknown ones, no description) and signs them unchanged', async () => {
    const r = await publish({
      version: '1.0.0',
      tools: [SDK_TOOL, BARE_TOOL],
      prompts: [PROMPT],
      resources: [RESOURCE],
    });
    assert.equal(r.status, 201, r.text);
    const m = r.json.manifest;
    // What the TA adds to each tool: the MCPS pins and the ext-auth server-identity attestation.
    const strip = ({ tool_hash: _h, tool_signature: _s, ...rest }: Record<string, unknown>) =>
      withoutAttestation(rest);
    assert.equal(canonicalJson(m.tools.map(strip)), canonicalJson([SDK_TOOL, BARE_TOOL]));
    assert.deepEqual(
      Object.keys(m.tools[0]._meta).sort(),
      ['com.example/build', SERVER_IDENTITY_META_KEY],
      "the server's own _meta members are kept beside the attestation",
    );
    assert.equal(canonicalJson(m.prompts), canonicalJson([PROMPT]));
    assert.equal(canonicalJson(m.resources), canonicalJson([RESOURCE]));
    // The signed payload is that manifest, and it verifies as a whole (tool pins included).
    assert.deepEqual(
      JSON.parse(Buffer.from(r.json.envelope.payload, 'base64').toString('utf8')),
      m,
    );
    const anchors = (await ta.request('GET', '/v1/trust/anchors')).json;
    const v = checkManifest(r.json, { keys: trustedKeys(anchors) });
    assert.ok(v.ok, JSON.stringify(v));
  });

  it('an identical re-publish is the same version; a change in an unknown member is other content, and diff names it', async () => {
    const same = await publish({
      version: '1.0.0',
      tools: [SDK_TOOL, BARE_TOOL],
      prompts: [PROMPT],
      resources: [RESOURCE],
    });
    assert.equal(same.status, 200, same.text);
    const changed = { ...SDK_TOOL, 'x-future-member': { nested: [2] } };
    const conflict = await publish({
      version: '1.0.0',
      tools: [changed, BARE_TOOL],
      prompts: [PROMPT],
      resources: [RESOURCE],
    });
    assertProblem(conflict, 409, 'body.version');
    const next = await publish({
      version: '1.1.0',
      tools: [{ ...changed, execution: { taskSupport: 'optional' } }, BARE_TOOL],
      prompts: [PROMPT],
      resources: [RESOURCE],
    });
    assert.equal(next.status, 201, next.text);
    const d = await ta.request('GET', `${manifestsPath(SERVER)}/1.0.0/diff/1.1.0`);
    assert.equal(d.status, 200, d.text);
    assert.deepEqual(
      d.json.diff.tools.changed.map((c: { key: string; fields: string[] }) => [c.key, c.fields]),
      [['echo', ['execution', 'x-future-member']]],
    );
  });

  it('still refuses what the limits refuse, naming the field: bad known members, reserved members, deep or control-character values', async () => {
    assertProblem(
      await publish({
        version: '2.0.0',
        tools: [{ ...BARE_TOOL, execution: { taskSupport: 'sometimes' } }],
      }),
      400,
      'body.tools.0.execution.taskSupport',
    );
    assertProblem(
      await publish({
        version: '2.0.0',
        tools: [{ ...BARE_TOOL, icons: [{ mimeType: 'image/png' }] }],
      }),
      400,
      'body.tools.0.icons.0.src',
    );
    assertProblem(
      await publish({ version: '2.0.0', tools: [{ ...BARE_TOOL, tool_hash: '00' }] }),
      400,
      'body.tools.0.tool_hash',
    );
    let deep: unknown = 'bottom';
    for (let i = 0; i < 40; i += 1) deep = { d: deep };
    assertProblem(
      await publish({ version: '2.0.0', tools: [{ ...BARE_TOOL, 'x-deep': deep }] }),
      400,
      'body.tools.0.x-deep',
    );
    assertProblem(
      await publish({
        version: '2.0.0',
        tools: [BARE_TOOL],
        prompts: [{ name: 'p', 'x-deep': deep }],
      }),
      400,
      'body.prompts.0.x-deep',
    );
    const ctl = await publish({
      version: '2.0.0',
      tools: [{ ...BARE_TOOL, 'x-text': 'bell\u0007' }],
    });
    assert.equal(ctl.status, 400, ctl.text);
    assert.match(ctl.text, /U\+0007/);
    assert.equal(
      (await ta.request('GET', manifestsPath(SERVER))).json.items.length,
      2,
      'nothing stored by a refused publish',
    );
  });

  it('each tool carries a server-identity signature (MCP ext-auth draft) by the TA key, which Python verifies; a server’s own is kept; the manifest verifies', async () => {
    const own = {
      signature: 'c2VydmVyLW93bg',
      kid: 'srv-a1b2c3d4e5f6g7h8',
      signedAt: '2026-02-17T00:00:00Z',
    };
    const withOwn = {
      name: 'self_signed',
      description: 'Carries its own attestation',
      inputSchema: { type: 'object' },
      _meta: { [SERVER_IDENTITY_META_KEY]: own },
    };
    const r = await publish({ version: '3.0.0', tools: [SDK_TOOL, BARE_TOOL, withOwn] });
    assert.equal(r.status, 201, r.text);
    const m = r.json.manifest;
    const jwks = (await ta.request('GET', '/v1/trust/jwks')).json.keys as Array<{ kid: string }>;
    const envelopeKid = r.json.envelope.signatures[0].keyid;
    for (const tool of m.tools.slice(0, 2)) {
      const att = tool._meta[SERVER_IDENTITY_META_KEY];
      assert.deepEqual(Object.keys(att).sort(), ['kid', 'signature', 'signedAt']);
      assert.equal(att.kid, envelopeKid, 'signed by the JWKS key that signed the manifest');
      assert.equal(att.signedAt, m.published_at);
      assert.match(att.signature, /^[A-Za-z0-9_-]{86}$/, 'base64url, no padding');
      const jwk = jwks.find((k) => k.kid === att.kid);
      assert.ok(jwk, 'the kid is in /v1/trust/jwks');
      assert.deepEqual(pythonVerifyToolAttestation(tool, jwk), {
        ok: true,
        kid: att.kid,
        signedAt: m.published_at,
      });
      // Over name, description, inputSchema[, outputSchema] only: another description fails.
      assert.equal(
        pythonVerifyToolAttestation({ ...tool, description: 'Something else' }, jwk).ok,
        false,
      );
    }
    assert.deepEqual(m.tools[2]._meta, { [SERVER_IDENTITY_META_KEY]: own }, 'kept as published');

    const anchors = (await ta.request('GET', '/v1/trust/anchors')).json;
    assert.ok(checkManifest(r.json, { keys: trustedKeys(anchors) }).ok);
  });
});
