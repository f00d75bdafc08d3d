// Refusals of the MCP guards: one error class with a stable `code` per condition, so hosts and
// servers can switch on it (like jose's error codes). On the wire (guardServer) a refusal is a
// JSON-RPC error with `data.code` carrying the same string.
export type GuardErrorCode =
  // guardClient: trust in the server
  | 'server-passport-invalid'
  | 'server-passport-revoked'
  | 'server-trust-level'
  | 'server-passport-mismatch'
  | 'manifest-invalid'
  | 'manifest-mismatch'
  | 'trust-unavailable'
  // guardClient: tools
  | 'tool-unsigned'
  | 'tool-removed'
  | 'tool-definition-changed'
  | 'tool-arguments-invalid'
  | 'response-signature-invalid'
  // guardServer: envelopes
  | 'envelope-missing'
  | 'envelope-malformed'
  | 'envelope-signature-invalid'
  | 'envelope-stale'
  | 'envelope-replayed'
  | 'sender-passport-invalid'
  | 'sender-passport-revoked'
  | 'sender-trust-level'
  // guardServer: call credentials
  | 'credential-missing'
  | 'credential-invalid'
  | 'credential-expired'
  | 'credential-audience'
  | 'credential-tool'
  | 'credential-binding'
  | 'credential-revoked';

/** JSON-RPC error code of guard refusals (implementation-defined server error range). */
export const GUARD_JSONRPC_CODE = -32001;

export class GuardError extends Error {
  readonly code: GuardErrorCode;
  /** Extra detail: the tool name, the differing members, schema errors. */
  readonly detail: Record<string, unknown>;

  constructor(code: GuardErrorCode, message: string, detail: Record<string, unknown> = {}) {
    super(message);
    this.name = 'GuardError';
    this.code = code;
    this.detail = detail;
  }

  /** The JSON-RPC error object for this refusal. */
  toJsonRpcError(): { code: number; message: string; data: Record<string, unknown> } {
    return {
      code: GUARD_JSONRPC_CODE,
      message: this.message,
      data: { ...this.detail, code: this.code },
    };
  }
}
