// A TA listening on a real port whose public URL is that port, so the URLs it writes into
// certificates (CRL distribution points, AIA) reach it: what `openssl verify -crl_download`,
// `openssl ocsp -url` and the other independent clients need.
import { createServer } from 'node:net';
import { startTestService, type TestService, type TestServiceOptions } from './service.js';

/** A TCP port free right now on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** startTestService listening on a free port, with TA_PUBLIC_URL set to it. */
export async function startListeningTestService(o: TestServiceOptions = {}): Promise<TestService> {
  const port = await freePort();
  return startTestService({ ...o, listen: true, env: { ...o.env, PORT: String(port), TA_PUBLIC_URL: `http://127.0.0.1:${port}` } });
}
