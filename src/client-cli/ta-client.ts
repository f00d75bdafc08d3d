// The TA's HTTP API as the CLI uses it: JSON in and out, bearer token when asked, and every
// failure turned into one line saying what to do (problem documents name the field).
import { CLIENT_EXIT, CliError } from './exit-codes.js';

export interface TaClient {
  baseUrl: string;
  get<T = any>(path: string, o?: { token?: string }): Promise<T>;
  getText(path: string): Promise<string>;
  /** Any answer that is JSON, with its HTTP status (documents served with 404, such as UNKNOWN). */
  getJson(path: string): Promise<{ status: number; json: any }>;
  post<T = any>(path: string, body: unknown, o?: { token?: string }): Promise<T>;
}

interface Problem {
  title?: string;
  detail?: string;
  code?: string;
  errors?: Array<{ field: string; message: string }>;
}

const STATUS_CODE: Record<number, number> = {
  401: CLIENT_EXIT.unauthenticated,
  403: CLIENT_EXIT.forbidden,
  404: CLIENT_EXIT.notFound,
  409: CLIENT_EXIT.conflict,
};

const ADVICE: Record<number, string> = {
  401: 'the TA refused the token: run mcps-ta login --token TOKEN with a valid publisher token',
  403: 'this token may not do that (another publisher, or an auditor token)',
};

function problemLine(status: number, problem: Problem | undefined, what: string): string {
  const fields = (problem?.errors ?? []).map((e) => `${e.field}: ${e.message}`).join('; ');
  const detail = fields || problem?.detail || problem?.title || `HTTP ${status}`;
  const advice = ADVICE[status];
  return `${what}: ${detail}${advice ? ` — ${advice}` : ''}`;
}

/** Normalises a TA base URL (http or https, no trailing slash). */
export function taBaseUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new CliError(
      CLIENT_EXIT.usage,
      `--ta ${JSON.stringify(url)} is not a URL: pass the TA's base URL, e.g. https://ta.example.com`,
    );
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw new CliError(CLIENT_EXIT.usage, '--ta must be an http(s) URL');
  return u.toString().replace(/\/+$/, '');
}

export function taClient(baseUrl: string, fetchImpl: typeof fetch = fetch): TaClient {
  const call = async (
    method: string,
    path: string,
    body: unknown,
    token: string | undefined,
  ): Promise<Response> => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await fetchImpl(`${baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(
        CLIENT_EXIT.taUnreachable,
        `cannot reach the TA at ${baseUrl} (${cause?.code ?? cause?.message ?? (err as Error).message}): check the URL and that the TA is running`,
      );
    }
  };
  const json = async <T>(res: Response, what: string): Promise<T> => {
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (res.ok) {
      if (parsed === undefined)
        throw new CliError(
          CLIENT_EXIT.taUnreachable,
          `${what}: the TA answered something that is not JSON: is ${baseUrl} a Trust Authority?`,
        );
      return parsed as T;
    }
    const line = problemLine(res.status, parsed as Problem | undefined, what);
    if (res.status >= 500)
      throw new CliError(
        CLIENT_EXIT.taError,
        `${line} — the TA failed; retry later or tell its operator`,
      );
    throw new CliError(STATUS_CODE[res.status] ?? CLIENT_EXIT.refused, line);
  };
  return {
    baseUrl,
    get: async (path, o = {}) => json(await call('GET', path, undefined, o.token), `GET ${path}`),
    getText: async (path) => {
      const res = await call('GET', path, undefined, undefined);
      if (!res.ok) return json(res, `GET ${path}`);
      return res.text();
    },
    getJson: async (path) => {
      const res = await call('GET', path, undefined, undefined);
      const text = await res.text();
      try {
        return { status: res.status, json: JSON.parse(text) };
      } catch {
        throw new CliError(
          CLIENT_EXIT.taUnreachable,
          `GET ${path}: the TA answered HTTP ${res.status} without JSON: is ${baseUrl} a Trust Authority?`,
        );
      }
    },
    post: async (path, body, o = {}) =>
      json(await call('POST', path, body, o.token), `POST ${path}`),
  };
}
