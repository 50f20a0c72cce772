// The typed client of the Multi-region API: openapi-fetch over the types openapi-typescript generated
// from api/openapi.json (src/schema.d.ts), plus sign-in and the API's documented retry policy.
import createFetchClient, {
  mergeHeaders,
  type Client,
  type ClientPathsWithMethod,
  type FetchResponse,
  type MaybeOptionalInit,
} from "openapi-fetch";
import type { components, paths } from "./schema.js";

export type { components, paths };
export type ApiError = components["schemas"]["Error"];
export const VERSION = "2.0.0";

type BodyMethod = "put" | "post" | "patch";
type DeclaredBody<Init> = Init extends { body?: infer B } ? NonNullable<B> : never;
/** `Init` with each body field the operation does not declare typed `never`, so tsc names it. openapi-fetch infers
 * `Init` generically, which skips TypeScript's excess-property check: a misspelt or extra field would type-check
 * and then get the gateway's 400 at run time. */
type ExactBody<Init, Declared> = Init extends { body: infer B }
  ? Init & { body: B & { [K in Exclude<keyof B, keyof DeclaredBody<Declared>>]: never } }
  : Init;
type StrictMethod<M extends BodyMethod> = <
  P extends ClientPathsWithMethod<Client<paths>, M>,
  I extends MaybeOptionalInit<paths[P], M>,
>(
  url: P,
  ...init: undefined extends MaybeOptionalInit<paths[P], M>
    ? [ExactBody<I, MaybeOptionalInit<paths[P], M>>?]
    : [ExactBody<I, MaybeOptionalInit<paths[P], M>>]
) => Promise<FetchResponse<paths[P][M] & Record<string | number, any>, I, `${string}/${string}`>>;

/** openapi-fetch's client, whose PUT, POST and PATCH refuse body fields the contract does not declare. */
export type ApiClient = Omit<Client<paths>, "PUT" | "POST" | "PATCH"> & {
  PUT: StrictMethod<"put">;
  POST: StrictMethod<"post">;
  PATCH: StrictMethod<"patch">;
};

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
const IDEMPOTENCY_KEY = "Idempotency-Key";
/** [method, path template] of the creates that take an Idempotency-Key (filled in by `make clients`). */
const IDEMPOTENT_CREATES: ReadonlyArray<readonly [string, string]> = [];
const CREATES = IDEMPOTENT_CREATES.map(([method, path]) => {
  // A base URL may carry a path prefix; a path parameter is one segment.
  const pattern = path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+");
  return [method, new RegExp(`${pattern}$`)] as const;
});

/** Adds a fresh Idempotency-Key to a create that takes one and carries none, so its retries never create twice. */
function withIdempotencyKey(request: Request): Request {
  const path = new URL(request.url).pathname;
  if (!request.headers.has(IDEMPOTENCY_KEY) && CREATES.some(([m, p]) => m === request.method && p.test(path))) {
    request.headers.set(IDEMPOTENCY_KEY, crypto.randomUUID());
  }
  return request;
}

/** [method, path template, name] of the query parameters sent as one comma-separated value (`style: form,
 * explode: false`; filled in by `make clients`): openapi-fetch repeats every array parameter. */
const COMMA_SEPARATED: ReadonlyArray<readonly [string, string, string]> = [["GET", "/v1/orders", "priority"]];

/** `request` with each comma-separated parameter of its operation joined: `status=a&status=b` -> `status=a,b`. */
async function withCommaSeparated(request: Request, schemaPath: string): Promise<Request> {
  const names = COMMA_SEPARATED.filter(([m, p]) => m === request.method && p === schemaPath).map(([, , n]) => n);
  const url = new URL(request.url);
  const joined = names
    .filter((name) => url.searchParams.has(name))
    .map((name) => {
      const values = url.searchParams.getAll(name).map(encodeURIComponent);
      url.searchParams.delete(name);
      return `${encodeURIComponent(name)}=${values.join(",")}`; // literal commas: the declared form
    });
  if (joined.length === 0) return request;
  url.search = [url.searchParams.toString(), ...joined].filter((part) => part !== "").join("&");
  const body = request.body === null ? null : await request.arrayBuffer();
  return new Request(url, { method: request.method, headers: request.headers, body, signal: request.signal });
}

/** Exponential backoff with full jitter: 100 ms base, doubling, at most 5 s, at least Retry-After. */
export function retryDelayMs(attempt: number, retryAfter: string | null, random: () => number = Math.random): number {
  const backoff = random() * Math.min(5000, 100 * 2 ** attempt);
  const floor = retryAfter !== null && /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : 0;
  return Math.max(backoff, floor);
}

function retryable(request: Request): boolean {
  // A create is retried only with its Idempotency-Key; a PUT carries the version it read (a repeat of one that
  // landed answers 200: the API recognises its own write).
  return request.method !== "POST" || request.headers.has(IDEMPOTENCY_KEY);
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

/** The media types of a binary body's request and of its answer, and the request's declared maximum. */
interface BinaryBody {
  request?: readonly string[];
  response?: readonly string[];
  max_bytes?: number;
  operation?: string;
}
/** Each binary body ("METHOD path" -> its BinaryBody), filled in by `make clients` from the contract's manifest. */
const BINARY_BODIES: Readonly<Record<string, BinaryBody>> = {"GET /v1/orders/{orderId}/receipt": {"response": ["application/pdf"]}, "PUT /v1/orders/{orderId}/receipt": {"max_bytes": 262144, "operation": "put_order_receipt", "request": ["application/pdf"]}};

/** A binary request body over its operation's declared maximum (`max_bytes`, the document's `maxLength`): the call's
 * promise rejects with it and nothing is sent. Over ~4.6 MB Lambda refuses the invocation and API Gateway answers 500
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway-errors.html), which the retry policy would retry
 * for its whole budget. */
export class BodyTooLargeError extends Error {
  constructor(
    readonly operation: string,
    readonly size: number,
    readonly maxBytes: number,
  ) {
    super(`${operation}: the request body is ${size} bytes, over the declared maximum of ${maxBytes} bytes; ` +
      "nothing was sent");
    this.name = "BodyTooLargeError";
  }
}

/** The size in bytes of a body sent as it is, or undefined for a stream (its size is known only once it is read). */
function byteSize(body: unknown): number | undefined {
  if (body instanceof Blob) return body.size;
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return body.byteLength;
  if (typeof body === "string") return new TextEncoder().encode(body).byteLength;
  return undefined;
}
const METHODS = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"] as const;

/** The call's options with what a binary body needs, unless the caller set it: a body over its declared maximum is
 * refused (BodyTooLargeError); the bytes go as they are (no JSON) with the Blob's own type or the declared one, and
 * an answer is asked for with its declared types first in Accept (API Gateway decodes a base64 Lambda answer only
 * when the first Accept type is a binary media type: "Content type conversions in API Gateway") and read as a Blob.
 * openapi-fetch takes `parseAs` per call only, so it is set here and not in a middleware. */
function binaryOptions(method: string, url: string, init: any): any {
  const binary = BINARY_BODIES[`${method.toUpperCase()} ${url}`];
  if (binary === undefined) return init;
  const defaults: Record<string, string> = {};
  if (binary.response !== undefined) defaults.Accept = binary.response.join(", ");
  if (binary.request !== undefined) {
    const body: unknown = init?.body;
    const size = byteSize(body);
    if (size !== undefined && binary.max_bytes !== undefined && size > binary.max_bytes) {
      throw new BodyTooLargeError(binary.operation ?? `${method.toUpperCase()} ${url}`, size, binary.max_bytes);
    }
    defaults["Content-Type"] = body instanceof Blob && body.type !== "" ? body.type : binary.request[0]!;
  }
  return {
    ...(binary.request !== undefined ? { bodySerializer: (body: unknown) => body } : {}),
    ...(binary.response !== undefined ? { parseAs: "blob" } : {}),
    ...init,
    headers: mergeHeaders(defaults, init?.headers),
  };
}

/** A client of every operation: `client.GET("/v1/accounts/me")` returns `{ data }` or `{ error }` (an ApiError). */
export function createClient(options: ClientOptions): ApiClient {
  const base = options.fetch ?? globalThis.fetch;
  const client = createFetchClient<paths>({
    baseUrl: options.baseUrl,
    fetch: retrying(base, options.retryForMs ?? 360_000) as (request: Request) => Promise<Response>,
  });
  const token = options.token;
  client.use({
    async onRequest({ request, schemaPath }) {
      if (token !== undefined) {
        const value = typeof token === "function" ? await token() : token;
        request.headers.set("Authorization", `Bearer ${value}`);
      }
      return withIdempotencyKey(await withCommaSeparated(request, schemaPath));
    },
  });
  const call = client as any;
  const methods = Object.fromEntries(
    METHODS.map((m) => [m, async (url: string, init?: unknown) => call[m](url, binaryOptions(m, url, init))]),
  );
  // async: a refusal of binaryOptions rejects the call's promise, as a failed fetch does
  const request = async (method: string, url: string, init?: unknown) =>
    call.request(method, url, binaryOptions(method, url, init));
  return { ...client, ...methods, request } as ApiClient;
}
