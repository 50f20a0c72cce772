import { type Client, type ClientPathsWithMethod, type FetchResponse, type MaybeOptionalInit } from "openapi-fetch";
import type { components, paths } from "./schema.js";
export type { components, paths };
export type ApiError = components["schemas"]["Error"];
export declare const VERSION = "2.0.0";
type BodyMethod = "put" | "post" | "patch";
type DeclaredBody<Init> = Init extends {
    body?: infer B;
} ? NonNullable<B> : never;
/** `Init` with each body field the operation does not declare typed `never`, so tsc names it. openapi-fetch infers
 * `Init` generically, which skips TypeScript's excess-property check: a misspelt or extra field would type-check
 * and then get the gateway's 400 at run time. */
type ExactBody<Init, Declared> = Init extends {
    body: infer B;
} ? Init & {
    body: B & {
        [K in Exclude<keyof B, keyof DeclaredBody<Declared>>]: never;
    };
} : Init;
type StrictMethod<M extends BodyMethod> = <P extends ClientPathsWithMethod<Client<paths>, M>, I extends MaybeOptionalInit<paths[P], M>>(url: P, ...init: undefined extends MaybeOptionalInit<paths[P], M> ? [ExactBody<I, MaybeOptionalInit<paths[P], M>>?] : [ExactBody<I, MaybeOptionalInit<paths[P], M>>]) => Promise<FetchResponse<paths[P][M] & Record<string | number, any>, I, `${string}/${string}`>>;
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
/** Exponential backoff with full jitter: 100 ms base, doubling, at most 5 s, at least Retry-After. */
export declare function retryDelayMs(attempt: number, retryAfter: string | null, random?: () => number): number;
/** A binary request body over its operation's declared maximum (`max_bytes`, the document's `maxLength`): the call's
 * promise rejects with it and nothing is sent. Over ~4.6 MB Lambda refuses the invocation and API Gateway answers 500
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway-errors.html), which the retry policy would retry
 * for its whole budget. */
export declare class BodyTooLargeError extends Error {
    readonly operation: string;
    readonly size: number;
    readonly maxBytes: number;
    constructor(operation: string, size: number, maxBytes: number);
}
/** A client of every operation: `client.GET("/v1/accounts/me")` returns `{ data }` or `{ error }` (an ApiError). */
export declare function createClient(options: ClientOptions): ApiClient;
