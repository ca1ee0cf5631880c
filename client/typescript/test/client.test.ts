// Runs the generated client against a live Kapı (KAPI_BASE_URL, KAPI_ADMIN_SECRET): the Maven build points it
// at the application on its test port. `tsc --noEmit` checks these calls against the generated types first.
import assert from "node:assert/strict";
import { test } from "node:test";

import { createKapiClient, type paths, type Problem, type Schemas } from "../src/index.js";

const baseUrl = process.env.KAPI_BASE_URL ?? "http://localhost:8000";
const adminSecret = process.env.KAPI_ADMIN_SECRET ?? "";
const password = "correct-horse-9";
// behind a trusted proxy (the tests' loopback) this is the client's address, for the rate limits
const headers: Record<string, string> = process.env.KAPI_FORWARDED_FOR
  ? { "X-Forwarded-For": process.env.KAPI_FORWARDED_FOR }
  : {};

/** True when T, its nulls left out, is exactly the union U: neither wider (a bare string) nor narrower. */
type Is<T, U> = [Exclude<T, null | undefined>] extends [U] ? ([U] extends [Exclude<T, null | undefined>] ? true : false) : false;

function session() {
  let token: string | undefined;
  const kapi = createKapiClient({ baseUrl, headers, language: "en", token: () => token });
  return {
    kapi,
    async signIn(username: string) {
      const { data, error, response } = await kapi.POST("/auth/login", { body: { username, password } });
      assert.equal(response.status, 200, JSON.stringify(error));
      assert.ok(data);
      // an account with a second factor answers a challenge instead (POST /auth/login/mfa finishes it)
      if ("methods" in data) {
        throw new Error("this account has a second factor");
      }
      assert.equal(data.token_type, "bearer");
      assert.ok(data.access_token);
      token = data.access_token;
      return data;
    },
  };
}

test("a user registers, signs in and reads /users/me", async () => {
  const { kapi, signIn } = session();
  const email = `ts-user-${crypto.randomUUID()}@example.com`;

  const registered = await kapi.POST("/auth/register", { body: { email, password, full_name: "Deniz Yazılımcı" } });
  assert.equal(registered.response.status, 201, JSON.stringify(registered.error));
  const user: Schemas["UserResponse"] | undefined = registered.data;
  assert.equal(user?.role, "user");

  await signIn(email);
  const me = await kapi.GET("/users/me");
  assert.equal(me.response.status, 200);
  assert.equal(me.data?.email, email);
  assert.equal(me.data?.full_name, "Deniz Yazılımcı");

  // errors are typed too: a problem with a stable type and the fields it names
  const wrong = await kapi.PUT("/users/me", { body: { email: "not-an-email" } });
  assert.equal(wrong.response.status, 400);
  const problem: Problem | undefined = wrong.error;
  assert.equal(problem?.type, "urn:kapi:problem:validation");
  assert.equal(problem?.success, false);
  assert.deepEqual(problem?.errors?.map((e) => e.field), ["email"]);
});

test("an admin lists users with seed 004's envelope, creates an event and starts a paper bot", async () => {
  const { kapi, signIn } = session();
  const email = `ts-admin-${crypto.randomUUID()}@example.com`;
  const registered = await kapi.POST("/auth/register/admin", {
    body: { email, password, full_name: "Ayşe Yönetici", admin_secret: adminSecret },
  });
  assert.equal(registered.response.status, 201, JSON.stringify(registered.error));
  assert.equal(registered.data?.role, "admin");
  await signIn(email);

  const users = await kapi.GET("/api/admin/users", { params: { query: { search: email, limit: 10 } } });
  assert.equal(users.response.status, 200, JSON.stringify(users.error));
  assert.ok(users.data);
  assert.equal(users.data.success, true);
  assert.equal(users.data.count, 1);
  const [admin] = users.data.data;
  assert.equal(admin?.email, email);
  assert.equal(admin?.userType?.name, "admin");
  assert.match(admin?.userId ?? "", /^[0-9a-f]{16}$/);

  const event = await kapi.POST("/events", {
    body: {
      title: "TypeScript buluşması",
      location: "İzmir",
      start_time: "2030-06-01T16:00:00+03:00",
      end_time: "2030-06-01T19:00:00+03:00",
    },
  });
  assert.equal(event.response.status, 201, JSON.stringify(event.error));
  assert.match(event.data?.slug ?? "", /^typescript-bulusmasi(-\d+)?$/); // a taken slug gets a number
  assert.equal(event.data?.start_time, "2030-06-01T13:00:00Z");
  const read = await kapi.GET("/events/{event_id}", { params: { path: { event_id: event.data!.id } } });
  assert.equal(read.data?.title, "TypeScript buluşması");
  const removed = await kapi.DELETE("/events/{event_id}/hard", { params: { path: { event_id: event.data!.id } } });
  assert.equal(removed.response.status, 204);

  const bot = await kapi.POST("/api/trading/bots", {
    body: {
      name: "Kağıt botu",
      symbol: "BTCUSDT",
      quote_amount: 100,
      interval: "1m",
      strategy: "simple",
      params: { buy_below: 60000, sell_above: 65000 },
    },
  });
  assert.equal(bot.response.status, 201, JSON.stringify(bot.error));
  assert.ok(bot.data);
  assert.equal(bot.data.paper, true);
  assert.equal(bot.data.active, false);

  const started = await kapi.POST("/api/trading/bots/{id}/start", { params: { path: { id: bot.data.id } } });
  assert.equal(started.response.status, 200, JSON.stringify(started.error));
  assert.equal(started.data?.active, true);
  // fixed values are unions; a property Kapı may write as null says so
  const status: "idle" | "in_position" | "paused" | "error" | null | undefined = started.data?.status;
  assert.equal(status, "idle");

  const all = await kapi.GET("/api/admin/trading/bots", { params: { query: { limit: 50 } } });
  assert.equal(all.response.status, 200);
  assert.ok(all.data?.some((b) => b.id === bot.data!.id && b.active));

  const stopped = await kapi.POST("/api/trading/bots/{id}/stop", { params: { path: { id: bot.data.id } } });
  assert.equal(stopped.data?.active, false);
});

test("each module's fixed values are unions in the generated types", () => {
  // `tsc` fails first when the API's values drift from these: each module describes its own
  const strategy: Is<Schemas["BotRequest"]["strategy"], "bollinger" | "ema" | "rsi" | "simple"> = true;
  const botStatus: Is<Schemas["BotResponse"]["status"], "idle" | "in_position" | "paused" | "error"> = true;
  const queueStatus: Is<
    Schemas["QueueResponse"]["status"],
    "created" | "scheduled" | "running" | "paused" | "cancelled" | "completed"
  > = true;
  const messageStatus: Is<
    Schemas["MessageResponse"]["status"],
    "pending" | "sending" | "sent" | "delivered" | "read" | "failed" | "skipped" | "cancelled" | "deferred"
  > = true;
  const role: Is<Schemas["UserResponse"]["role"], "admin" | "editor" | "viewer" | "user"> = true;
  const requestStatus: Is<Schemas["RequestView"]["status"], "open" | "answered" | "closed"> = true;
  const ledgerKind: Is<Schemas["LedgerEntry"]["kind"], "credit" | "debit"> = true;
  const eventFilter: Is<NonNullable<paths["/events"]["get"]["parameters"]["query"]>["status"], "all" | "upcoming" | "past"> =
    true;
  const webhookEvent: Is<
    Schemas["DeliveryResponse"]["type"],
    | "account.registered"
    | "account.updated"
    | "account.deleted"
    | "account.frozen"
    | "account.unfrozen"
    | "session.revoked"
    | "credits.changed"
    | "package.assigned"
    | "messaging.queue.finished"
    | "messaging.inbound"
    | "trading.trade.executed"
    | "event.registration.created"
    | "event.registration.cancelled"
    | "event.checked_in"
    | "oauth.client.created"
    | "oauth.consent.granted"
    | "oauth.consent.revoked"
    | "users.imported"
    | "account.linked"
    | "account.unlinked"
    | "identity_provider.created"
    | "identity_provider.updated"
    | "identity_provider.deleted"
  > = true;
  // identity's audit types (an enum of 40-odd values): a union, not a plain string, holding these two
  type AuditType = Exclude<Schemas["AuditEntry"]["type"], null | undefined>;
  const auditType: string extends AuditType
    ? false
    : ["login-failed" | "unverified-account-claimed"] extends [AuditType]
      ? true
      : false = true;
  assert.deepEqual(
    [strategy, botStatus, queueStatus, messageStatus, role, requestStatus, ledgerKind, eventFilter, webhookEvent, auditType],
    Array(10).fill(true),
  );
});
