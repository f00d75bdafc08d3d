// Prometheus metrics (prom-client), one registry per app so several apps can live in a process.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface HttpMetrics {
  registry: Registry;
  observe(method: string, route: string, status: number, seconds: number): void;
  /** A 4xx/5xx answer, by status and problem code (`none` for a non-problem body). */
  refused(status: number, code: string): void;
  /** One OCSP answer: a certificate status (good, revoked, unknown) or an error response status. */
  ocspResponse(status: string): void;
}

export function createMetrics(): HttpMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'mcps_ta_' });
  const requests = new Counter({
    name: 'mcps_ta_http_requests_total',
    help: 'HTTP requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'mcps_ta_http_request_duration_seconds',
    help: 'HTTP request duration by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const refused = new Counter({
    name: 'mcps_ta_refused_requests_total',
    help: 'Requests answered 4xx/5xx, by status and problem code (the problem type urn:mcps-ta:problem:<code>)',
    labelNames: ['status', 'code'] as const,
    registers: [registry],
  });
  const ocsp = new Counter({
    name: 'mcps_ta_ocsp_responses_total',
    help: 'OCSP answers: certificate statuses (good, revoked, unknown) and error responses (malformedRequest, unauthorized, tryLater, internalError)',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  return {
    registry,
    observe: (method, route, status, seconds) => {
      requests.inc({ method, route, status: String(status) });
      duration.observe({ method, route }, seconds);
    },
    refused: (status, code) => refused.inc({ status: String(status), code }),
    ocspResponse: (status) => ocsp.inc({ status }),
  };
}
