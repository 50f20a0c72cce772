import { type Client } from "openapi-fetch";
import type { components, paths } from "./schema.js";
export type { components, paths };
export type ApiError = components["schemas"]["Error"];
export declare const VERSION = "1.0.0";
export interface ClientOptions {
    /** e.g. https://api.example.com (your custom domain) or http://127.0.0.1:8080 (`make serve`). */
    baseUrl: string;
    /** A Cognito access token, or a function returning a fresh one before each request. */
    token?: string | (() => string | Promise<string>);
    /** Give up retrying after this many milliseconds (the API's policy: 60 s). 0 disables retries. */
    retryForMs?: number;
    fetch?: typeof globalThis.fetch;
}
/** Exponential backoff with full jitter: 100 ms base, doubling, at most 5 s, at least Retry-After. */
export declare function retryDelayMs(attempt: number, retryAfter: string | null, random?: () => number): number;
/** A client of every operation: `client.GET("/v1/accounts/me")` returns `{ data }` or `{ error }` (an ApiError). */
export declare function createClient(options: ClientOptions): Client<paths>;
