// A guarded stdio MCP server process for the guard tests: the weather server of mcp.ts behind
// guardServer on McpsStdioServerTransport (signed requests pass stdio), trusting the TA at TA_URL
// from the anchors in TA_ANCHORS (JSON), requiring per-call credentials for SERVER_NAME.
import {
  guardServer,
  McpsStdioServerTransport,
  onlineTrust,
  passportsFromTa,
} from '../../src/mcp/index.js';
import { weatherServer } from './mcp.js';

const taUrl = process.env.TA_URL!;
const trust = await onlineTrust({ taUrl, anchors: JSON.parse(process.env.TA_ANCHORS!) });
const { server } = weatherServer();
guardServer(server, {
  trust: () => trust,
  passports: passportsFromTa(taUrl),
  serverName: process.env.SERVER_NAME!,
  requireCredential: true,
});
await server.connect(new McpsStdioServerTransport());
