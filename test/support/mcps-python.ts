// An independent MCPS envelope implementation in Python `cryptography`, written from the draft's
// rules (not from our code): JCS (RFC 8785) by hand for the JSON the envelopes carry (objects,
// arrays, strings, integers, booleans, null), message_hash, the signing payload, ES256 with
// low-S normalisation, P1363 r‖s in standard base64. `verify` also refuses high-S. Also the
// per-tool server-identity signature of the MCP ext-auth draft (pythonVerifyToolAttestation).
import { runPython } from './tools.js';

const PYTHON = String.raw`
import base64, hashlib, json, sys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551

def jcs_string(s):
    out = ['"']
    for ch in s:
        c = ord(ch)
        if ch == '"': out.append('\\"')
        elif ch == '\\': out.append('\\\\')
        elif ch == '\b': out.append('\\b')
        elif ch == '\f': out.append('\\f')
        elif ch == '\n': out.append('\\n')
        elif ch == '\r': out.append('\\r')
        elif ch == '\t': out.append('\\t')
        elif c < 0x20: out.append('\\u%04x' % c)
        else: out.append(ch)
    out.append('"')
    return ''.join(out)

def jcs(v):
    if v is None: return 'null'
    if v is True: return 'true'
    if v is False: return 'false'
    if isinstance(v, int): return str(v)
    if isinstance(v, float):
        if v.is_integer() and abs(v) < 2**53: return str(int(v))
        raise ValueError('non-integer numbers are not used by these tests')
    if isinstance(v, str): return jcs_string(v)
    if isinstance(v, list): return '[' + ','.join(jcs(x) for x in v) + ']'
    if isinstance(v, dict):
        # RFC 8785 3.2.3: members sorted by their names as UTF-16 code units
        keys = sorted(v.keys(), key=lambda k: k.encode('utf-16-be'))
        return '{' + ','.join(jcs_string(k) + ':' + jcs(v[k]) for k in keys) + '}'
    raise TypeError(type(v))

def payload(message, env):
    body = {k: v for k, v in message.items() if k != 'mcps'}
    h = hashlib.sha256(jcs(body).encode('utf-8')).hexdigest()
    return jcs({'message_hash': h, 'nonce': env['nonce'], 'passport_id': env['passport_id'], 'timestamp': env['timestamp']}).encode('utf-8'), h

def public_key(jwk):
    x = int.from_bytes(base64.urlsafe_b64decode(jwk['x'] + '=='), 'big')
    y = int.from_bytes(base64.urlsafe_b64decode(jwk['y'] + '=='), 'big')
    return ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key()

req = json.loads(sys.stdin.read())
if req['op'] == 'verify-tool-attestation':
    # MCP ext-auth draft, server-identity §2.1: JCS of name, description, inputSchema[, outputSchema]
    tool = req['tool']
    signed = {k: tool[k] for k in ('name', 'description', 'inputSchema', 'outputSchema') if k in tool}
    att = tool['_meta']['io.modelcontextprotocol/server-identity']
    sig = base64.urlsafe_b64decode(att['signature'] + '=' * (-len(att['signature']) % 4))
    r, s = int.from_bytes(sig[:32], 'big'), int.from_bytes(sig[32:], 'big')
    ok = len(sig) == 64 and 1 <= s <= N // 2 and '=' not in att['signature']
    if ok:
        try:
            public_key(req['jwk']).verify(encode_dss_signature(r, s), jcs(signed).encode('utf-8'), ec.ECDSA(hashes.SHA256()))
        except Exception:
            ok = False
    print(json.dumps({'ok': ok, 'kid': att['kid'], 'signedAt': att['signedAt']}))
elif req['op'] == 'verify':
    env = req['message']['mcps']
    data, h = payload(req['message'], env)
    sig = base64.b64decode(env['signature'], validate=True)
    r, s = int.from_bytes(sig[:32], 'big'), int.from_bytes(sig[32:], 'big')
    ok = len(sig) == 64 and 1 <= s <= N // 2
    if ok:
        try:
            public_key(req['jwk']).verify(encode_dss_signature(r, s), data, ec.ECDSA(hashes.SHA256()))
        except Exception:
            ok = False
    print(json.dumps({'ok': ok, 'message_hash': h}))
elif req['op'] == 'sign':
    if 'pem' in req: key = serialization.load_pem_private_key(req['pem'].encode(), password=None)
    else: key = ec.derive_private_key(int(req['scalar_hex'], 16), ec.SECP256R1())
    message = {k: v for k, v in req['message'].items() if k != 'mcps'}
    env = {'version': '1.0', 'passport_id': req['passport_id'], 'timestamp': req['timestamp'], 'nonce': req['nonce']}
    data, _ = payload(message, env)
    r, s = decode_dss_signature(key.sign(data, ec.ECDSA(hashes.SHA256())))
    if s > N // 2: s = N - s
    env['signature'] = base64.b64encode(r.to_bytes(32, 'big') + s.to_bytes(32, 'big')).decode()
    message['mcps'] = env
    print(json.dumps(message))
`;

/**
 * Verifies a tool's `_meta["io.modelcontextprotocol/server-identity"]` signature (MCP ext-auth
 * draft: base64url signature over JCS of name, description, inputSchema[, outputSchema]) with
 * Python, ES256 (low-S only) by `jwk`.
 */
export function pythonVerifyToolAttestation(
  tool: unknown,
  jwk: unknown,
): { ok: boolean; kid: string; signedAt: string } {
  return JSON.parse(
    runPython(PYTHON, JSON.stringify({ op: 'verify-tool-attestation', tool, jwk })),
  );
}

/** Verifies an envelope with Python; returns whether it verifies and the message_hash Python computed. */
export function pythonVerify(
  message: unknown,
  jwk: unknown,
): { ok: boolean; message_hash: string } {
  return JSON.parse(runPython(PYTHON, JSON.stringify({ op: 'verify', message, jwk })));
}

/** Signs `message` with Python (key as PKCS#8 PEM or a private scalar in hex). */
export function pythonSign(
  message: Record<string, unknown>,
  o: { passportId: string; timestamp: string; nonce: string } & (
    { pem: string } | { scalarHex: string }
  ),
): Record<string, unknown> {
  const key = 'pem' in o ? { pem: o.pem } : { scalar_hex: o.scalarHex };
  return JSON.parse(
    runPython(
      PYTHON,
      JSON.stringify({
        op: 'sign',
        message,
        passport_id: o.passportId,
        timestamp: o.timestamp,
        nonce: o.nonce,
        ...key,
      }),
    ),
  );
}
