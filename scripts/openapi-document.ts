// Builds the OpenAPI document text exactly as committed in openapi/openapi.json.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import { buildOpenApiDocument } from '../src/http/openapi.js';
import { createLogger } from '../src/logger.js';
import { buildService } from '../src/service.js';

export async function renderOpenApiDocument(): Promise<string> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mcps-ta-openapi-'));
  const database = await openDatabase({ dataDir: 'memory://' });
  try {
    const config = loadConfig({
      DATA_DIR: dataDir,
      TA_KEK: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'silent',
    });
    const service = await buildService(config, { logger: createLogger('silent'), database });
    return `${JSON.stringify(buildOpenApiDocument(service.app), null, 2)}\n`;
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
