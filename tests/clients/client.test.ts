// Every operation through the generated TypeScript client, against the local API (BASE_URL, TOKEN; the
// admin operation with OPERATOR_TOKEN, an operator's token: end-user tokens are refused there).
import assert from "node:assert/strict";
import { test } from "node:test";
import { type ApiError, createClient, retryDelayMs, VERSION } from "../client/dist/index.js";

// A 4xx is the Error body, except API Gateway's own 413 ({ message }) for bodies over 10 MB.
function apiError(error: ApiError | { message: string } | undefined): ApiError | undefined {
  return error !== undefined && "code" in error ? error : undefined;
}

const baseUrl = process.env.BASE_URL ?? "";
const api = createClient({ baseUrl, token: process.env.TOKEN ?? "" });
const operator = createClient({ baseUrl, token: process.env.OPERATOR_TOKEN ?? "" });

test("client carries the contract version", () => {
  assert.equal(VERSION, process.env.CONTRACT_VERSION);
});

test("retry delay waits at least Retry-After and at most 5 s otherwise", () => {
  assert.equal(retryDelayMs(10, null, () => 1), 5000);
  assert.equal(retryDelayMs(0, "2", () => 1), 2000);
});

test("the client sends back the Consistency-Token its path last answered", async () => {
  const sent: (string | null)[] = [];
  const fake = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    sent.push(request.headers.get("Consistency-Token"));
    const headers = { "Content-Type": "application/json", "Consistency-Token": String(sent.length + 6) };
    return new Response(JSON.stringify({ accountId: "a", displayName: "A", locale: "en", version: 7 }), { headers });
  };
  const client = createClient({ baseUrl: "http://127.0.0.1:9", fetch: fake });
  await client.GET("/v1/accounts/me");
  await client.GET("/v1/accounts/me");
  await client.GET("/health");
  assert.deepEqual(sent, [null, "7", null]);
});

test("health", async () => {
  const { data, response } = await api.GET("/health");
  assert.equal(response.status, 200);
  assert.equal(data?.status, "ok");
});

test("accounts: read, write back, read any", async () => {
  const read = await api.GET("/v1/accounts/me");
  assert.ok(read.data, JSON.stringify(read.error));
  const { accountId, displayName, locale, version } = read.data;
  const put = await api.PUT("/v1/accounts/me", { body: { displayName: displayName + "!", locale, version } });
  assert.equal(put.data?.version, version + 1, JSON.stringify(put.error));
  const stale = await api.PUT("/v1/accounts/me", { body: { displayName, locale, version } });
  assert.equal(apiError(stale.error)?.code, "CONFLICT");
  const refused = await api.GET("/v1/accounts/{accountId}", { params: { path: { accountId } } });
  assert.ok(refused.response.status === 401 || refused.response.status === 403, String(refused.response.status));
  const other = await operator.GET("/v1/accounts/{accountId}", { params: { path: { accountId } } });
  assert.equal(other.data?.displayName, displayName + "!", JSON.stringify(other.error));
});

test("the gateway's 400 is the Error body naming the field", async () => {
  const bad = await api.PUT("/v1/accounts/me", { body: { displayName: "", locale: "en", version: 0 } });
  assert.equal(bad.response.status, 400);
  assert.equal(apiError(bad.error)?.code, "BAD_REQUEST");
  assert.equal(apiError(bad.error)?.field, "body");
});

test("items: create, list, read", async () => {
  const created = await api.POST("/v1/items", {
    body: { name: "Tea" },
    params: { header: { "Idempotency-Key": `ts-${Date.now()}` } },
  });
  assert.equal(created.response.status, 201, JSON.stringify(created.error));
  const itemId = created.data!.itemId;
  const page = await api.GET("/v1/items", { params: { query: { limit: 50 } } });
  assert.ok(page.data?.items.some((item) => item.itemId === itemId));
  const one = await api.GET("/v1/items/{itemId}", { params: { path: { itemId } } });
  assert.equal(one.data?.name, "Tea");
  const bad = await api.GET("/v1/items", { params: { query: { limit: 0 } } });
  assert.equal(bad.error?.field, "query.limit");
});

test("hits", async () => {
  const hit = await api.POST("/v1/hits");
  assert.ok(hit.data, JSON.stringify(hit.error));
});
