#!/usr/bin/env python3
"""A stand-in for Meta's WhatsApp Cloud API on loopback, for bench/cluster.sh.

POST /{version}/{phone_number_id}/messages answers Meta's success shape with a fresh message id and
records the send: by the message's own id (biz_opaque_callback_data, Kapı's kapi-msg-<id>) and by
(phone_number_id, to). GET /{version}/{waba_id}/message_templates lists one approved template.
GET /stats answers the counts as JSON; GET /records answers every key with how often it came.
A send is recorded when it arrives and answered LATENCY_MS later (default 0; bench/cluster.sh gives 150, a
round trip to Meta), so a sender killed meanwhile leaves calls that Meta has but Kapı never heard back from.
Usage: [LATENCY_MS=150] meta_standin.py PORT
"""
import json
import os
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
BY_KEY = {}      # biz_opaque_callback_data -> sends
BY_PHONE = {}    # (phone_number_id, to) -> sends
RECEIVED = [0]
LATENCY = int(os.environ.get("LATENCY_MS", "0")) / 1000.0

TEMPLATES = {"data": [{"id": "1000001", "name": "kapi_bench", "language": "tr", "status": "APPROVED",
                       "category": "MARKETING", "components": [{"type": "BODY", "text": "Merhaba, bu bir deneme."}]}],
             "paging": {"cursors": {"before": "a", "after": "b"}}}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, payload):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path.split("?")[0]
        if path.endswith("/message_templates"):
            self.answer(200, TEMPLATES)
        elif path == "/stats":
            with LOCK:
                doubles_by_key = sum(n - 1 for n in BY_KEY.values() if n > 1)
                doubles_by_phone = sum(n - 1 for n in BY_PHONE.values() if n > 1)
                self.answer(200, {"received": RECEIVED[0], "unique_keys": len(BY_KEY),
                                  "doubles_by_key": doubles_by_key, "doubles_by_phone": doubles_by_phone})
        elif path == "/records":
            with LOCK:
                self.answer(200, BY_KEY)
        else:
            self.answer(404, {"error": {"message": "unknown path", "code": 100}})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        parts = self.path.split("?")[0].strip("/").split("/")
        if len(parts) != 3 or parts[2] != "messages":
            self.answer(404, {"error": {"message": "unknown path", "code": 100}})
            return
        try:
            message = json.loads(raw or b"{}")
        except ValueError:
            self.answer(400, {"error": {"message": "bad json", "code": 100}})
            return
        to = message.get("to", "")
        key = message.get("biz_opaque_callback_data") or ""
        with LOCK:
            RECEIVED[0] += 1
            BY_KEY[key] = BY_KEY.get(key, 0) + 1
            BY_PHONE[(parts[1], to)] = BY_PHONE.get((parts[1], to), 0) + 1
        if LATENCY:
            time.sleep(LATENCY)
        self.answer(200, {"messaging_product": "whatsapp", "contacts": [{"input": to, "wa_id": to}],
                          "messages": [{"id": "wamid." + uuid.uuid4().hex}]})


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024

    def handle_error(self, request, client_address):
        pass  # a client killed mid-request (the bench's kill -9) is not news


if __name__ == "__main__":
    Server(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
