// The typed client of the Multi-region API: openapi-fetch over the types openapi-typescript generated
// from api/openapi.json (src/schema.d.ts), plus sign-in and the API's documented retry policy.
import createFetchClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./schema.js";

export type { components, paths };
export type ApiError = components["schemas"]["Error"];
export const VERSION = "3.0.0";

export interface ClientOptions {
  /** e.g. https://api.example.com (your custom domain) or http://127.0.0.1:8080 (`make serve`). */
  baseUrl: string;
  /** A Cognito access token, or a function returning a fresh one before each request. */
  token?: string | (() => string | Promise<string>);
  /** Give up retrying after this many milliseconds (the API's policy: 360 s). 0 disables retries. */
  retryForMs?: number;
  fetch?: typeof globalThis.fetch;
}

const RETRIED = new Set([429, 500, 502, 503, 504]);

/** Exponential backoff with full jitter: 100 ms base, doubling, at most 5 s, at least Retry-After. */
export function retryDelayMs(attempt: number, retryAfter: string | null, random: () => number = Math.random): number {
  const backoff = random() * Math.min(5000, 100 * 2 ** attempt);
  const floor = retryAfter !== null && /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : 0;
  return Math.max(backoff, floor);
}

function retryable(request: Request): boolean {
  // A create is retried only with its Idempotency-Key; a PUT carries the version it read (a repeat of one that
  // landed answers 200: the API recognises its own write).
  return request.method !== "POST" || request.headers.has("Idempotency-Key");
}

const TOKEN = "Consistency-Token";

// Read your writes across regions: the last Consistency-Token each path answered goes back with the next request
// to that path, so a read never returns a version older than one this client has seen, whichever region serves.
function retrying(base: typeof globalThis.fetch, retryForMs: number): typeof globalThis.fetch {
  const tokens = new Map<string, string>();
  return async (input, init) => {
    const request = new Request(input, init);
    const path = new URL(request.url).pathname;
    const token = tokens.get(path);
    if (token !== undefined && !request.headers.has(TOKEN)) request.headers.set(TOKEN, token);
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      let response: Response | undefined;
      let failure: unknown;
      try {
        response = await base(request.clone());
      } catch (error) {
        failure = error;
      }
      const again = retryable(request) && (response === undefined || RETRIED.has(response.status));
      const delay = retryDelayMs(attempt, response?.headers.get("Retry-After") ?? null);
      if (!again || Date.now() - started + delay > retryForMs) {
        if (response === undefined) throw failure;
        const answered = response.headers.get(TOKEN);
        if (answered !== null) tokens.set(path, answered);
        return response;
      }
      await response?.body?.cancel();
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  };
}

/** A client of every operation: `client.GET("/v1/accounts/me")` returns `{ data }` or `{ error }` (an ApiError). */
export function createClient(options: ClientOptions): Client<paths> {
  const base = options.fetch ?? globalThis.fetch;
  const client = createFetchClient<paths>({
    baseUrl: options.baseUrl,
    fetch: retrying(base, options.retryForMs ?? 360_000) as (request: Request) => Promise<Response>,
  });
  const token = options.token;
  if (token !== undefined) {
    client.use({
      async onRequest({ request }) {
        const value = typeof token === "function" ? await token() : token;
        request.headers.set("Authorization", `Bearer ${value}`);
        return request;
      },
    });
  }
  return client;
}
