// Every operation of the orders API once through its generated TypeScript client, against the local API
// (BASE_URL, TOKEN with the orders scopes). tsc checks the calls against the generated types first.
import assert from "node:assert/strict";
import { test } from "node:test";
import { BodyTooLargeError, createClient } from "../client/dist/index.js";

const baseUrl = process.env.BASE_URL ?? "";
const api = createClient({ baseUrl, token: process.env.TOKEN ?? "" });
const anonymous = createClient({ baseUrl, token: "" });

test("orders: create, list, read, patch, lines, delete", async () => {
  const created = await api.POST("/v1/orders", {
    body: {
      lines: [{ sku: "MUG-01", quantity: 2, unitPrice: { amount: "4.50", currency: "EUR" } }],
      payment: { kind: "invoice", dueDays: 30 },
      reference: "PO-7",
      from: "2026-02-01",
    },
    params: { header: { "X-Tenant-Id": "shop-1" } },
  });
  assert.equal(created.response.status, 201, JSON.stringify(created.error));
  const orderId = created.data!.orderId;
  assert.equal(created.response.headers.get("Location"), `/v1/orders/${orderId}`);
  assert.equal(created.data!.total.amount, "9.00");
  assert.equal(created.data!.refund, null); // `Money | null`, required
  const page = await api.GET("/v1/orders", { params: { query: { status: ["pending", "paid"] } } });
  assert.ok(page.data?.items.some((order) => order.orderId === orderId), JSON.stringify(page.error));
  const sent: string[] = [];
  const recording = createClient({
    baseUrl,
    token: process.env.TOKEN ?? "",
    fetch: async (input, init) => {
      sent.push(new Request(input, init).url);
      return fetch(input, init);
    },
  });
  const normal = await recording.GET("/v1/orders", { params: { query: { priority: [2, 3] } } });
  assert.ok(normal.data?.items.some((order) => order.orderId === orderId), JSON.stringify(normal.error));
  assert.match(sent[0] ?? "", /[?&]priority=2,3(&|$)/); // declared `explode: false`: one comma-separated value
  const high = await api.GET("/v1/orders", { params: { query: { priority: [3] } } });
  assert.ok(!high.data?.items.some((order) => order.orderId === orderId), JSON.stringify(high.error));
  const one = await api.GET("/v1/orders/{orderId}", { params: { path: { orderId } } });
  assert.equal(one.data?.payment.kind, "invoice");
  const patched = await api.PATCH("/v1/orders/{orderId}", {
    params: { path: { orderId } },
    body: { from: null, priority: null },
  });
  assert.equal(patched.data?.from, undefined, JSON.stringify(patched.error));
  assert.equal(patched.data?.priority, 2); // `Priority | null`: null puts it back to normal
  const lines = await api.GET("/v1/orders/{orderId}/lines", { params: { path: { orderId } } });
  assert.equal(lines.data?.[0]?.sku, "MUG-01");
  const added = await api.POST("/v1/orders/{orderId}/lines", {
    params: { path: { orderId } },
    body: [{ sku: "CUP-02", quantity: 2, unitPrice: { amount: "1.25", currency: "EUR" } }], // a top-level array
  });
  assert.deepEqual(added.data?.map((line) => line.sku), ["MUG-01", "CUP-02"], JSON.stringify(added.error));
  const deleted = await api.DELETE("/v1/orders/{orderId}", { params: { path: { orderId } } });
  assert.equal(deleted.response.status, 204);
  const gone = await api.GET("/v1/orders/{orderId}", { params: { path: { orderId } } });
  assert.equal(gone.error?.code, "NOT_FOUND");
});

test("receipt: a PDF up and down as raw bytes (binary media types)", async () => {
  const created = await api.POST("/v1/orders", {
    body: {
      lines: [{ sku: "MUG-01", quantity: 1, unitPrice: { amount: "4.50", currency: "EUR" } }],
      payment: { kind: "invoice", dueDays: 30 },
      reference: "PO-8",
    },
    params: { header: { "X-Tenant-Id": "shop-1" } },
  });
  const orderId = created.data!.orderId;
  const pdf = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x0a, 0x00, 0xff, 0x80, 0xfe]);
  // The client sends the Blob as it is (no JSON) with its type, and asks for the declared type first in Accept (the
  // gateway decodes the handler's base64 answer only then): the caller sets no header and no parser
  const put = await api.PUT("/v1/orders/{orderId}/receipt", {
    params: { path: { orderId } },
    body: new Blob([pdf], { type: "application/pdf" }),
  });
  assert.equal(put.response.status, 204, JSON.stringify(put.error));
  const got = await api.GET("/v1/orders/{orderId}/receipt", { params: { path: { orderId } } });
  assert.equal(got.response.status, 200);
  assert.equal(got.response.headers.get("Content-Type"), "application/pdf");
  assert.ok(got.data instanceof Blob);
  assert.deepEqual(new Uint8Array(await got.data.arrayBuffer()), pdf);
  // A Blob without a type goes with the declared one
  const untyped = await api.PUT("/v1/orders/{orderId}/receipt", { params: { path: { orderId } }, body: new Blob([pdf]) });
  assert.equal(untyped.response.status, 204, JSON.stringify(untyped.error));
});

test("receipt: one over its declared maximum is refused by the client, nothing sent", async () => {
  // GIVEN a client whose every request is recorded; a JSON body goes out as before (it is not measured)
  const sent: string[] = [];
  const recording = createClient({
    baseUrl,
    token: process.env.TOKEN ?? "",
    fetch: async (input, init) => {
      const request = input instanceof Request ? input : new Request(input, init);
      sent.push(`${request.method} ${request.url}`);
      return fetch(input, init);
    },
  });
  const created = await recording.POST("/v1/orders", {
    body: {
      lines: [{ sku: "MUG-01", quantity: 1, unitPrice: { amount: "4.50", currency: "EUR" } }],
      payment: { kind: "invoice", dueDays: 30 },
      reference: "PO-9",
    },
    params: { header: { "X-Tenant-Id": "shop-1" } },
  });
  assert.equal(created.response.status, 201, JSON.stringify(created.error));
  const orderId = created.data!.orderId;
  // WHEN the receipt is one byte over its 256 KiB (over ~4.6 MB it would be the gateway's 500, retried for the budget)
  const big = new Blob([new Uint8Array(256 * 1024 + 1)], { type: "application/pdf" });
  const refused = recording.PUT("/v1/orders/{orderId}/receipt", { params: { path: { orderId } }, body: big });
  // THEN the promise rejects naming the operation, the size and the maximum, and no request left the client
  await assert.rejects(refused, (error: unknown) => {
    assert.ok(error instanceof BodyTooLargeError);
    assert.deepEqual([error.operation, error.size, error.maxBytes], ["put_order_receipt", 262145, 262144]);
    assert.match(error.message, /^put_order_receipt: the request body is 262145 bytes, .* maximum of 262144 bytes/);
    return true;
  });
  assert.deepEqual(sent, [`POST ${baseUrl}/v1/orders`]);
});

test("categories: public, a recursive tree", async () => {
  const tree = await anonymous.GET("/v1/categories");
  assert.equal(tree.data?.children?.[0]?.children?.[0]?.name, "mugs", JSON.stringify(tree.error));
});
