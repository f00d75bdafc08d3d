// The MCPS reference per-tool pin: tool_hash = hex SHA-256 of JCS({author_origin, description,
// inputSchema, name}), and tool_signature = standard base64 of the TA's low-S P1363 ES256
// signature over those same bytes, so existing MCPS verifiers can pin single tools.
import { createHash } from 'node:crypto';
import { canonicalBytes } from '../crypto/jcs.js';
import type { P256Signer } from '../crypto/signer.js';

export interface HashableTool {
  name: string;
  description?: string;
  inputSchema: Record<string, unknown>;
}

/** The bytes that are hashed and signed: JCS (RFC 8785) of the four members. */
export function toolHashInput(tool: HashableTool, authorOrigin: string | null): Buffer {
  return canonicalBytes({
    author_origin: authorOrigin,
    description: tool.description,
    inputSchema: tool.inputSchema,
    name: tool.name,
  });
}

/** hex SHA-256 of toolHashInput. */
export function toolHash(tool: HashableTool, authorOrigin: string | null): string {
  return createHash('sha256').update(toolHashInput(tool, authorOrigin)).digest('hex');
}

/** tool_hash and tool_signature of one tool. */
export function pinTool(
  tool: HashableTool,
  authorOrigin: string | null,
  signer: P256Signer,
): { tool_hash: string; tool_signature: string } {
  const bytes = toolHashInput(tool, authorOrigin);
  return {
    tool_hash: createHash('sha256').update(bytes).digest('hex'),
    tool_signature: signer.sign(bytes).toString('base64'),
  };
}
