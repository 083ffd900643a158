"""A loopback SMTP server for crates/palbase-cli/tests/notifications.rs (PyPI aiosmtpd).

Usage: python3 smtp_sink.py PORT OUT_DIR. With SMTP_SINK_USER/SMTP_SINK_PASSWORD set it
requires AUTH (PLAIN or LOGIN) with them. A recipient starting with "reject" is refused with 550;
one starting with "tempfail" gets 451 on its first try. Each accepted message is written to
OUT_DIR/<n>.json: the envelope, whether the session authenticated, the raw message, and its MIME
tree as Python's email package parses it.
"""

import base64
import email
import json
import os
import sys
import time
import warnings
from email import policy

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

# AUTH without TLS is the point on loopback; the library warns about it.
warnings.filterwarnings("ignore")

PORT = int(sys.argv[1])
OUT = sys.argv[2]
USER = os.environ.get("SMTP_SINK_USER")
PASSWORD = os.environ.get("SMTP_SINK_PASSWORD")


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == USER and auth_data.password.decode() == PASSWORD
    return AuthResult(success=ok, handled=False)


class Handler:
    def __init__(self):
        self.n = 0
        self.tempfailed = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("reject"):
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        if address.startswith("tempfail") and address not in self.tempfailed:
            self.tempfailed.add(address)
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        msg = email.message_from_bytes(raw, policy=policy.default)
        parts = []
        for p in msg.walk():
            item = {"type": p.get_content_type(), "filename": p.get_filename()}
            if not p.is_multipart():
                payload = p.get_payload(decode=True) or b""
                item["base64"] = base64.b64encode(payload).decode()
                if p.get_content_maintype() == "text":
                    item["text"] = payload.decode(p.get_content_charset() or "utf-8")
            parts.append(item)
        self.n += 1
        data = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "authenticated": bool(session.authenticated),
            "raw": raw.decode("utf-8", "replace"),
            "subject": str(msg["Subject"]),
            "to": str(msg["To"]),
            "cc": str(msg["Cc"]) if msg["Cc"] else None,
            "bcc": str(msg["Bcc"]) if msg["Bcc"] else None,
            "headers": {k: str(v) for k, v in msg.items()},
            "parts": parts,
        }
        tmp = os.path.join(OUT, "%d.tmp" % self.n)
        with open(tmp, "w") as f:
            json.dump(data, f)
        os.rename(tmp, os.path.join(OUT, "%d.json" % self.n))
        return "250 2.0.0 Ok: queued as sink-%d" % self.n


kwargs = {}
if USER:
    kwargs = {"authenticator": authenticator, "auth_required": True, "auth_require_tls": False}
controller = Controller(Handler(), hostname="127.0.0.1", port=PORT, **kwargs)
controller.start()
print("ready", flush=True)
try:
    while True:
        time.sleep(3600)
finally:
    controller.stop()
