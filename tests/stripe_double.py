"""A local HTTP test double of the few Stripe endpoints coachctl calls, for Stripe's real SDK."""

from __future__ import annotations

import json
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl


class StripeDouble:
    """Records every request (path, form fields, idempotency key) and answers like Stripe."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.failures_left = 0
        double = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                fields = dict(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
                double.requests.append(
                    {
                        "path": self.path,
                        "fields": fields,
                        "idempotency_key": self.headers.get("Idempotency-Key"),
                        "auth": self.headers.get("Authorization"),
                    }
                )
                if double.failures_left:
                    double.failures_left -= 1
                    return self._send(500, {"error": {"type": "api_error", "message": "boom"}})
                self._send(200, double.answer(self.path, fields))

            def _send(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Request-Id", "req_" + secrets.token_hex(6))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def answer(self, path: str, fields: dict) -> dict:
        token = secrets.token_hex(8)
        if path == "/v1/checkout/sessions":
            return {
                "id": f"cs_test_{token}",
                "object": "checkout.session",
                "url": f"https://checkout.stripe.test/c/pay/cs_test_{token}",
                "client_reference_id": fields.get("client_reference_id"),
                "expires_at": int(fields.get("expires_at", 0)),
                "status": "open",
                "discounts": [{"coupon": fields["discounts[0][coupon]"]}]
                if "discounts[0][coupon]" in fields
                else [],
            }
        if path.startswith("/v1/checkout/sessions/") and path.endswith("/expire"):
            return {"id": path.split("/")[4], "object": "checkout.session", "status": "expired"}
        if path == "/v1/refunds":
            return {
                "id": f"re_{token}",
                "object": "refund",
                "status": "succeeded",
                "payment_intent": fields.get("payment_intent"),
            }
        if path == "/v1/products":
            return {"id": f"prod_{token}", "object": "product", "name": fields.get("name")}
        if path.startswith("/v1/products/"):
            return {"id": path.split("/")[3], "object": "product", "name": fields.get("name")}
        if path == "/v1/prices":
            return {
                "id": f"price_{token}",
                "object": "price",
                "unit_amount": int(fields.get("unit_amount", 0)),
            }
        if path == "/v1/coupons":
            return {
                "id": f"coupon_{token}",
                "object": "coupon",
                "name": fields.get("name"),
                "duration": fields.get("duration"),
                "percent_off": float(fields["percent_off"]) if "percent_off" in fields else None,
                "amount_off": int(fields["amount_off"]) if "amount_off" in fields else None,
                "currency": fields.get("currency"),
            }
        if path.startswith("/v1/prices/"):
            return {"id": path.split("/")[3], "object": "price", "active": False}
        return {"error": {"message": f"no route {path}"}}

    def reset(self) -> None:
        """Forget every request and planned failure, as a fresh double would."""
        self.requests = []
        self.failures_left = 0

    def paths(self) -> list[str]:
        return [r["path"] for r in self.requests]

    def __enter__(self) -> StripeDouble:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
