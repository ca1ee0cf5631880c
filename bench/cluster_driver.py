#!/usr/bin/env python3
"""The HTTP side of bench/cluster.sh: sets up the campaign, the bots and the load accounts, runs the
cross-instance checks, and reads the outcome. Talks to nginx (NGINX port) and, for the checks that must
choose the instance, to each instance's own port. Every request names a client address of its own
(X-Forwarded-For, believed from loopback), as distinct clients behind nginx would.

  cluster_driver.py setup STATE   (env: NGINX, RECIPIENTS, BOTS, LOAD_ACCOUNTS, THREADS, STANDIN, RATE)
  cluster_driver.py start STATE   starts the campaign
  cluster_driver.py checks STATE  (env: PORTS=a,b,c) revocation, login limit, lockout; prints key=value
"""
import http.client
import json
import os
import random
import statistics
import sys
import threading
import time
import uuid

PASSWORD = "cluster-bench-Pa55word"
NGINX = int(os.environ.get("NGINX", "0"))
_local = threading.local()


def ip():
    return "10.%d.%d.%d" % (random.randint(0, 255), random.randint(0, 255), random.randint(1, 254))


def call(port, method, path, body=None, token=None, client=None, content_type="application/json", raw=False):
    """One request on a kept-alive connection of this thread to that port: (status, parsed body)."""
    conns = getattr(_local, "conns", None)
    if conns is None:
        conns = _local.conns = {}
    headers = {"X-Forwarded-For": client or ip()}
    if token:
        headers["Authorization"] = "Bearer " + token
    data = None
    if body is not None:
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        headers["Content-Type"] = content_type
    for attempt in range(3):
        conn = conns.get(port)
        if conn is None:
            conn = conns[port] = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            text = response.read().decode()
            if raw:
                return response.status, text
            try:
                return response.status, json.loads(text) if text else None
            except ValueError:
                return response.status, text
        except (http.client.HTTPException, OSError):
            conn.close()
            conns.pop(port, None)
            if attempt == 2:
                raise
            time.sleep(0.5)


def must(expected, result, what):
    status, body = result
    if status not in (expected if isinstance(expected, tuple) else (expected,)):
        raise SystemExit("setup failed at %s: HTTP %s %s" % (what, status, str(body)[:300]))
    return body


def register_and_login(port, email, full_name="Bench"):
    status, body = call(port, "POST", "/auth/register", {"email": email, "password": PASSWORD, "full_name": full_name})
    if status not in (201, 409):
        raise SystemExit("register %s: HTTP %s %s" % (email, status, body))
    return must(200, call(port, "POST", "/auth/login", {"username": email, "password": PASSWORD}), "login " + email)


def parallel(items, work, threads=8):
    items = list(items)
    errors = []
    lock = threading.Lock()

    def run(part):
        try:
            for item in part:
                work(item)
        except BaseException as ex:  # noqa: B902 - reported below
            with lock:
                errors.append(ex)
    workers = [threading.Thread(target=run, args=(items[i::threads],)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    if errors:
        raise errors[0]


def setup(state_file):
    recipients = int(os.environ["RECIPIENTS"])
    bots = int(os.environ["BOTS"])
    load_accounts = int(os.environ["LOAD_ACCOUNTS"])
    wrk_threads = int(os.environ["THREADS"])
    rate = int(os.environ["RATE"])
    state = {}

    # The campaign: one user, four WhatsApp Cloud accounts on one business account, a template message.
    campaign = register_and_login(NGINX, "bench-campaign@example.com", "Kampanya")
    token = campaign["access_token"]
    senders = []
    for k in range(4):
        sender = must(201, call(NGINX, "POST", "/api/messaging/senders", {
            "name": "Bench %d" % k, "phone": "+9085000000%02d" % k, "provider": "whatsapp_cloud",
            "phone_number_id": "10000000000%02d" % k, "waba_id": "2000000000001",
            "access_token": "bench-token-%d" % k, "rate_per_second": rate}, token), "sender")
        # Issue 15's tiers: a sender is allowed this many unique recipients a day. A server without tiers
        # refuses the unknown field (400), which changes nothing.
        call(NGINX, "PUT", "/api/messaging/senders/%d" % sender["id"], {"messaging_limit": "unlimited"}, token)
        senders.append(sender["id"])
    must(200, call(NGINX, "POST", "/api/messaging/senders/%d/templates/sync" % senders[0], None, token), "sync")
    group = must(201, call(NGINX, "POST", "/api/messaging/groups", {"name": "Bench"}, token), "group")
    csv = "phone,name\n" + "".join("+90533%07d,Alıcı %d\n" % (i, i) for i in range(recipients))
    imported = must(200, call(NGINX, "POST", "/api/messaging/customers/import?group_id=%d" % group["id"], csv, token,
                              content_type="text/csv"), "import")
    if imported["created"] + imported["updated"] != recipients:
        raise SystemExit("import: %s" % imported)
    draft = must(201, call(NGINX, "POST", "/api/messaging/drafts", {
        "name": "Bench", "template": {"name": "kapi_bench", "language": "tr", "body_parameters": []}}, token), "draft")
    queue = must(201, call(NGINX, "POST", "/api/messaging/queues", {
        "name": "Bench", "draft_id": draft["id"], "sender_ids": senders, "group_ids": [group["id"]]}, token), "queue")
    state.update(campaign_token=token, queue_id=queue["id"], senders=senders)

    # Credits for every message, loaded by the bootstrap admin.
    admin = must(200, call(NGINX, "POST", "/auth/login", {"username": os.environ["ADMIN_EMAIL"],
                                                          "password": os.environ["ADMIN_PASSWORD"]}), "admin login")
    state["admin_token"] = admin["access_token"]
    state["campaign_public_id"] = os.environ.get("CAMPAIGN_PUBLIC_ID")

    # Paper bots: ten owners (a signed-in client's default limit is 300 requests a minute).
    owners = max(1, (bots + 99) // 100)
    per_owner = [bots // owners + (1 if i < bots % owners else 0) for i in range(owners)]

    def make_bots(i):
        owner = register_and_login(NGINX, "bench-bots-%d@example.com" % i)["access_token"]
        for b in range(per_owner[i]):
            bot = must(201, call(NGINX, "POST", "/api/trading/bots", {
                "name": "Bot %d-%d" % (i, b), "symbol": "BTCUSDT", "quote_amount": 100, "interval": "1m",
                "strategy": "simple", "params": {"buy_below": 60000, "sell_above": 65000}}, owner), "bot")
            must(200, call(NGINX, "POST", "/api/trading/bots/%d/start" % bot["id"], None, owner), "bot start")
    parallel(range(owners), make_bots, threads=min(owners, 8))
    state["bots_started_at"] = time.time()

    # The load's accounts and one session per wrk thread.
    tokens = []
    parallel(range(load_accounts), lambda i: register_and_login(NGINX, "bench-load-%d@example.com" % i), threads=8)
    for t in range(wrk_threads * 10):
        pair = must(200, call(NGINX, "POST", "/auth/login", {"username": "bench-load-%d@example.com" % (t % load_accounts),
                                                             "password": PASSWORD}), "load login")
        tokens += [pair["access_token"], pair["refresh_token"]]
    state["wrk_args"] = tokens
    with open(state_file, "w") as f:
        json.dump(state, f)


def load_credits(state_file, public_id, amount):
    state = json.load(open(state_file))
    must(201, call(NGINX, "POST", "/api/admin/users/%s/credits" % public_id, {"amount": amount, "note": "bench"},
                   state["admin_token"]), "credits")


def start(state_file):
    state = json.load(open(state_file))
    must(200, call(NGINX, "POST", "/api/messaging/queues/%d/start" % state["queue_id"], None,
                   state["campaign_token"]), "queue start")


def revocation(ports):
    """Login on one instance, seen on the others; logout there; ms until both others refuse the token."""
    worst = []
    for trial in range(5):
        first = ports[trial % 3]
        others = [p for p in ports if p != first]
        email = "bench-revoke-%s@example.com" % uuid.uuid4().hex[:10]
        token = register_and_login(first, email)["access_token"]
        for p in others:
            must(200, call(p, "GET", "/api/trading/bots", None, token), "seen before logout")
        must(204, call(first, "POST", "/auth/logout", None, token), "logout")
        ended = time.perf_counter()
        pending = set(others)
        times = []
        while pending and time.perf_counter() - ended < 5:
            for p in list(pending):
                status, _ = call(p, "GET", "/api/trading/bots", None, token)
                if status == 401:
                    times.append((time.perf_counter() - ended) * 1000)
                    pending.discard(p)
            time.sleep(0.001)
        if pending:
            return -1
        worst.append(max(times))
    return round(max(worst))


def login_limit(ports):
    """Fifteen logins of one client at once, five per instance: exactly ten pass the shared limit."""
    client = ip()
    results = []
    lock = threading.Lock()

    def attempt(i):
        status, _ = call(ports[i % 3], "POST", "/auth/login",
                         {"username": "nobody-%d@example.com" % i, "password": "wrong-password-x"}, client=client)
        with lock:
            results.append(status)
    begin = time.perf_counter()
    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(15)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - begin
    refused = results.count(429)
    # Ten a minute refill one every six seconds: a slow round may see that many more pass.
    refilled = int(elapsed // 6)
    return (5 - refilled <= refused <= 5), refused, elapsed


def lockout(ports):
    """Five failures for one account, spread over the instances, lock it on all; four do not."""
    locked = register_and_login(ports[0], "bench-lock-%s@example.com" % uuid.uuid4().hex[:10])
    email = "bench-lock-%s@example.com" % uuid.uuid4().hex[:10]
    register_and_login(ports[0], email)
    four = "bench-four-%s@example.com" % uuid.uuid4().hex[:10]
    register_and_login(ports[0], four)
    for i in range(5):
        status, _ = call(ports[i % 3], "POST", "/auth/login", {"username": email, "password": "wrong-password-x"})
        if status != 400:
            return False, "failure %d answered %d" % (i + 1, status)
    for p in ports:
        status, _ = call(p, "POST", "/auth/login", {"username": email, "password": PASSWORD})
        if status != 401:
            return False, "locked account answered %d on %d" % (status, p)
    for i in range(4):
        call(ports[i % 3], "POST", "/auth/login", {"username": four, "password": "wrong-password-x"})
    status, _ = call(ports[1], "POST", "/auth/login", {"username": four, "password": PASSWORD})
    if status != 200:
        return False, "four failures answered %d" % status
    del locked
    return True, "ok"


def checks(state_file):
    ports = [int(p) for p in os.environ["PORTS"].split(",")]
    ms = revocation(ports)
    exact, refused, elapsed = login_limit(ports)
    locked, why = lockout(ports)
    print("revocation_ms=%d" % ms)
    print("ratelimit_exact=%s" % ("yes" if exact else "no"))
    print("ratelimit_detail=refused_%d_of_15_in_%.1fs" % (refused, elapsed))
    print("lockout_exact=%s" % ("yes" if locked else "no"))
    print("lockout_detail=%s" % why.replace(" ", "_"))


if __name__ == "__main__":
    command, state_file = sys.argv[1], sys.argv[2]
    if command == "setup":
        setup(state_file)
    elif command == "credits":
        load_credits(state_file, sys.argv[3], int(sys.argv[4]))
    elif command == "start":
        start(state_file)
    elif command == "checks":
        checks(state_file)
    elif command == "wrkargs":
        print(" ".join(json.load(open(state_file))["wrk_args"]))
