"""Every route of the review page answers a person, never a stack: hostile ids and values in
the path, the query and the forms (huge and negative integers, text, `..`, NUL, very long
strings, percent-escapes that are not UTF-8) give the Vietnamese error page or the page
itself, signed in and signed out — never a 500, never FastAPI's raw JSON 422.

The routes are enumerated from the app, so a route added later is walked too."""
from __future__ import annotations

import contextlib
import re

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from review import view
from reviewkit import login, seeded_store

WORD = "hungson-2022.docx"
HUGE = "99999999999999999999999"
# as they go into a URL path or query: already escaped, sent as they are
HOSTILE_RAW = [HUGE, "-1", "-99999999999999999999999", "abc", "..", "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "%00",
               "1%00", "x" * 5000, "%ff%fe", "%C0%AF", "1e400", "nan", "0", "1.5", "%EF%BC%91%EF%BC%92"]
# as they go into a form: text
HOSTILE_TEXT = [HUGE, "-1", "abc", "..", "../../etc/passwd", "\x00", "a\x00b", "x" * 20000, "1e400", "nan",
                "\u202eevil", "９９", "0,9", "<script>alert(1)</script>"]


def _html_routes(app) -> list[tuple[str, APIRoute]]:
    """(path, route) of every API route, through included routers (FastAPI keeps those nested)."""
    out = []

    def walk(routes, prefix: str) -> None:
        for r in routes:
            if isinstance(r, APIRoute):
                out.append((prefix + r.path_format, r))
            elif hasattr(r, "original_router"):
                walk(r.original_router.routes, prefix + getattr(r.include_context, "prefix", ""))
    walk(app.routes, "")
    assert len(out) >= 12, [p for p, _ in out]
    return out


def _valid_params(seeded) -> dict[str, str]:
    rid = seeded.ids[WORD]
    report = seeded.store.get_report(rid)
    return {"rid": str(rid), "pos": "0", "fid": str(report.flags[0].id if report.flags else 1)}


def _paths(path_format: str, valid: dict[str, str]) -> list[str]:
    """The route's path with each parameter hostile in turn (the others valid)."""
    names = re.findall(r"{(\w+)}", path_format)
    out = []
    for name in names:
        for bad in HOSTILE_RAW:
            out.append(re.sub(r"{(\w+)}", lambda m: bad if m.group(1) == name else valid.get(m.group(1), "1"),
                              path_format))
    if not names:
        out.append(path_format)
    return out


def _field_names(path_format: str, route: APIRoute) -> list[str]:
    """Form and query fields the route declares, and the row form's fields it reads itself."""
    dep = route.dependant
    names = [p.alias for p in dep.query_params] + [p.alias for p in dep.body_params]
    if path_format.endswith("/rows/{pos}"):
        names += [f for f, _ in view.EDITABLE] + ["why", "ratio_pick"]
    return [n for n in names if n != "csrf"]


def _check(r, where: str) -> None:
    assert r.status_code != 500, f"{where}: 500"
    assert r.status_code != 422 or "text/html" in r.headers.get("content-type", ""), f"{where}: JSON 422 {r.text[:200]}"
    if r.status_code >= 400:
        assert "text/html" in r.headers.get("content-type", ""), f"{where}: {r.status_code} {r.text[:200]}"
        assert not r.text.lstrip().startswith("{") and "Traceback" not in r.text, where


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    with seeded_store(tmp_path_factory.mktemp("routes-hostile"), [WORD]) as s:
        yield s


@contextlib.contextmanager
def _client(seeded, address: str, sign_in: bool = True):
    """A client of its own address: the walk's failed logins throttle that address only."""
    from review.app import create_app
    from review.config import ReviewConfig
    app = create_app(ReviewConfig(database_url=seeded.store.url, secret_key="k" * 48), seeded.store)
    with TestClient(app, client=(address, 50000)) as c:
        yield c, (login(c, seeded.user) if sign_in else None)


@pytest.fixture()
def client(seeded, request):
    with _client(seeded, request.node.name[:40]) as c_token:
        yield c_token


def _walk(c, token: str | None, seeded) -> int:
    valid = _valid_params(seeded)
    n = 0
    # signing out last, so every other route is walked signed in
    for path_format, route in sorted(_html_routes(c.app), key=lambda pr: pr[0] == "/logout"):
        for method in sorted(route.methods - {"HEAD"}):
            fields = _field_names(path_format, route)
            for path in _paths(path_format, valid):
                if method == "GET":
                    r = c.get(path, follow_redirects=False)
                else:
                    r = c.request(method, path, data={"csrf": token or "x"}, follow_redirects=False)
                _check(r, f"{method} {path[:80]}")
                n += 1
            good = re.sub(r"{(\w+)}", lambda m: valid.get(m.group(1), "1"), path_format)
            if not fields:
                continue
            # every field hostile at once, for each hostile value; then each field alone (the long one)
            for bad in HOSTILE_RAW if method == "GET" else HOSTILE_TEXT:
                if method == "GET":
                    r = c.get(good + "?" + "&".join(f"{name}={bad}" for name in fields), follow_redirects=False)
                else:
                    r = c.request(method, good, data={"csrf": token or "x", **{name: bad for name in fields}},
                                  follow_redirects=False)
                _check(r, f"{method} {good} {fields}={bad[:40]!r}")
                n += 1
            for name in fields:
                if method == "GET":
                    r = c.get(f"{good}?{name}={'9' * 5000}", follow_redirects=False)
                else:
                    r = c.request(method, good, data={"csrf": token or "x", name: "x" * 20000}, follow_redirects=False)
                _check(r, f"{method} {good} {name}=long")
                n += 1
                if method == "POST":        # bytes that are not UTF-8, escaped and raw
                    body = f"csrf={token or 'x'}&{name}=%ff%fe".encode() + b"&" + name.encode() + b"2=\xff\xfe"
                    r = c.post(good, content=body, follow_redirects=False,
                               headers={"content-type": "application/x-www-form-urlencoded"})
                    _check(r, f"{method} {good} {name}=%ff")
                    n += 1
    return n


def test_every_route_signed_in_answers_a_person(seeded):
    before = seeded.store.get_report(seeded.ids[WORD])
    with _client(seeded, "walk-signed-in") as (c, token):
        n = _walk(c, token, seeded)
    assert n > 200
    after = seeded.store.get_report(seeded.ids[WORD])
    # a plain value among the hostile ones ("0", "-1" for a rate...) may be stored; nothing hostile is
    _assert_clean(after, before)


def _assert_clean(after, before) -> None:
    import math

    import rulesets
    rs = rulesets.load(after.document["ruleset"])
    for c in after.corrections[len(before.corrections):]:
        if c.field == "indicator":
            assert c.new is None or rs.indicator(c.new) is not None, c
        if isinstance(c.new, str):
            assert len(c.new) <= 200 and not any(ch < " " or "\u202a" <= ch <= "\u202e" for ch in c.new), c
        if isinstance(c.new, float):
            assert math.isfinite(c.new), c
        assert c.new != c.old, f"a save that changed nothing was audited: {c}"


def test_every_route_signed_out_answers_a_person(seeded):
    with _client(seeded, "walk-signed-out", sign_in=False) as (c, _):
        assert _walk(c, None, seeded) > 200


@pytest.mark.parametrize("url", [f"/reports/{HUGE}", "/reports/abc", "/reports/-1", "/reports/%ff",
                                 f"/reports/{HUGE}/rows/0/crop.png", "/reports/1/rows/abc/crop.png",
                                 f"/reports/{HUGE}/letter.docx", "/reports/0"])
def test_a_bad_report_id_is_the_vietnamese_404_page(client, url):
    c, _ = client
    r = c.get(url)
    assert r.status_code == 404 and "text/html" in r.headers["content-type"]
    assert "Không tìm thấy trang hoặc dữ liệu yêu cầu." in r.text and "Về hàng đợi" in r.text


def test_a_huge_year_in_the_filters_is_no_error(client):
    c, _ = client
    for url in (f"/?year={HUGE}", f"/export/reports.json?year={HUGE}", f"/?year=-{HUGE}"):
        r = c.get(url)
        assert r.status_code == 200, url


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from([f for f, _ in view.EDITABLE] + ["why"]),
       typed=st.text(max_size=300) | st.sampled_from(HOSTILE_TEXT))
def test_any_text_in_the_row_form_is_stored_checked_or_refused_beside_the_field(client, seeded, field, typed):
    c, token = client
    rid = seeded.ids[WORD]
    before = seeded.store.get_report(rid)
    r = c.post(f"/reports/{rid}/rows/1", data={"csrf": token, field: typed}, follow_redirects=False)
    _check(r, f"{field}={typed!r}")
    after = seeded.store.get_report(rid)
    if r.status_code == 303:        # stored: then what is stored is clean text or a finite number
        _assert_clean(after, before)
    else:                           # refused: nothing stored, the refusal beside the field
        assert r.status_code == 422
        assert after.corrections == before.corrections
        assert 'class="field-error"' in r.text
