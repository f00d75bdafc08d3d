// A stdio MCP server process for the guard tests (`node --import tsx mcp-stdio-server.ts`): the
// weather server of mcp.ts; FORECAST_DESCRIPTION in the environment changes its description.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { weatherServer } from './mcp.js';

const { server } = weatherServer({ description: process.env.FORECAST_DESCRIPTION || undefined });
await server.connect(new StdioServerTransport());
