"""A partner's system for tests and trials: an HTTP server on 127.0.0.1, in a thread, that records
every POST it receives and answers with the status codes it is told to (200 once they run out).

	with WebhookReceiver(codes=[500, 500]) as receiver:
		...  # point a Partner Webhook at receiver.url (site config tolink_allow_http_webhooks)
		receiver.requests  # [{"path", "headers", "body"}, ...]
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class WebhookReceiver:
	def __init__(self, codes=()):
		self.codes = list(codes)
		self.requests: list[dict] = []
		self.lock = threading.Lock()
		receiver = self

		class Handler(BaseHTTPRequestHandler):
			def do_POST(self):
				body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
				with receiver.lock:
					receiver.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
					code = receiver.codes.pop(0) if receiver.codes else 200
				self.send_response(code)
				self.send_header("Content-Type", "text/plain")
				self.end_headers()
				self.wfile.write(b"ok" if code < 300 else b"error")

			def log_message(self, *args):
				pass

		self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
		self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
		self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

	def start(self) -> "WebhookReceiver":
		self.thread.start()
		return self

	def stop(self) -> None:
		self.server.shutdown()
		self.server.server_close()

	def __enter__(self):
		return self.start()

	def __exit__(self, *exc):
		self.stop()
