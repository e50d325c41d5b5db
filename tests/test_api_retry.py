"""The Prefect API calls `dti serve`, the scale harness and the served bench make retry what
Prefect's server says may be retried (503: its SQLite was locked by workers writing, as a
fresh-clone `make test` once saw) and nothing else."""
from __future__ import annotations

import http.server
import threading
import urllib.error

import pytest

from deploy import serve_watch


@pytest.fixture()
def api(monkeypatch):
    monkeypatch.setattr(serve_watch, "RETRY_DELAYS", (0, 0, 0))
    answers: list[int] = []
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.path)
            code = answers.pop(0) if answers else 200
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"ok": true}' if code == 200 else b'{"exception_message": "no"}')

        def log_message(self, *args):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_port}/api", answers, seen
    srv.shutdown()


def test_a_busy_server_is_asked_again(api):
    url, answers, seen = api
    answers.extend([503, 503])
    assert serve_watch.api_call(url, "/flow_runs/x", None, 5) == {"ok": True}
    assert len(seen) == 3


def test_an_error_that_is_not_retryable_is_raised_at_once(api):
    url, answers, seen = api
    answers.append(404)
    with pytest.raises(urllib.error.HTTPError) as e:
        serve_watch.api_call(url, "/deployments/name/x/y", None, 5)
    assert e.value.code == 404 and len(seen) == 1


def test_a_server_busy_for_good_is_an_error_after_the_retries(api):
    url, answers, seen = api
    answers.extend([503] * 10)
    with pytest.raises(urllib.error.HTTPError) as e:
        serve_watch.api_call(url, "/flow_runs/x", None, 5)
    assert e.value.code == 503 and len(seen) == 4        # the first try and one per delay
