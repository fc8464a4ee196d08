"""Every form of every app, fuzzed: no input a browser can send gives a 500.

Every URL pattern of the URLconf (the access matrix's enumeration, the admin's aside) is opened
as the first persona the access matrix lets see it (a group's administrator before its members,
coordinators before staff), and every POST form on it
(its own, or one posting elsewhere, such as a "Pause case" button) is collected with its fields.
Hypothesis then posts generated values for those fields: text with NULs, huge strings, any
Unicode, numbers out of range, impossible dates, wrong choices, files of random bytes, and any
field left out. Each post runs in a transaction that is rolled back, so every example meets the
same data. The examples per form are bounded to keep the test near a minute.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import path
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .. import test_access_matrix as matrix
from ..access_matrix import row_for
from ..access_world import PERSONAS, build_access_world

EXAMPLES_PER_FORM = 3
# Who opens a page: the first of these the access matrix gives a 200, so a member's page is
# fuzzed as the member who uses it.
ORDER = ("admin_x", "holder_x", "coordinator_a", "staff", "member_x", "no_role", "anonymous")
# Forms that end the test's own session or are the admin's (Django's, fuzzed by Django).
SKIP_ACTIONS = ("/accounts/logout/", "/admin/")


@dataclass
class Form:
    action: str
    persona: str
    fields: dict[str, dict] = field(default_factory=dict)


class FormParser(HTMLParser):
    """The POST forms of a page: each field's name, kind and offered values."""

    def __init__(self, page_url: str):
        super().__init__()
        self.page_url = page_url
        self.forms: list[tuple[str, dict[str, dict]]] = []
        # Forms that ask a question by GET first (which kind of action?) lead to the POST form.
        self.get_forms: list[tuple[str, dict[str, dict]]] = []
        self._fields: dict[str, dict] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            action = urljoin(self.page_url, a.get("action") or self.page_url)
            self._fields = {}
            post = (a.get("method") or "get").lower() == "post"
            (self.forms if post else self.get_forms).append((action, self._fields))
        if self._fields is None or not a.get("name"):
            if tag == "option" and self._fields is not None and self._select:
                self._fields[self._select]["options"].append(a.get("value", ""))
            return
        name = a["name"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button") and a.get("value") is None:
                return
            entry = self._fields.setdefault(name, {"kind": kind, "options": []})
            if a.get("value") is not None:
                entry["options"].append(a["value"])
            if kind == "checkbox" and len(entry["options"]) > 1:
                entry["kind"] = "multiple"
        elif tag == "button" and a.get("value") is not None:
            entry = self._fields.setdefault(name, {"kind": "select", "options": []})
            entry["options"].append(a["value"])
        elif tag == "textarea":
            self._fields.setdefault(name, {"kind": "text", "options": []})
        elif tag == "select":
            kind = "multiple" if "multiple" in a else "select"
            self._fields.setdefault(name, {"kind": kind, "options": []})
            self._select = name

    def handle_endtag(self, tag):
        if tag == "form":
            self._fields = None
        if tag == "select":
            self._select = None


NASTY = st.one_of(
    st.text(max_size=40),
    st.text(max_size=10).map(lambda text: f"{text}\x00{text}"),
    st.just("x" * 100_000),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(
        [
            "",
            " ",
            "-1",
            "0",
            "1e309",
            "NaN",
            "2026-02-30",
            "0000-00-00",
            "9999-12-31",
            "31/12/2026",
            "2026-13-45T25:61",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "../../etc/passwd",
            "IAR-2026-502",
            "\u202e\ufeff\u200b",
            "🙂" * 300,
        ]
    ),
)


def value_strategy(spec: dict):
    offered = [option for option in spec["options"] if option is not None]
    choice = st.one_of(st.sampled_from(offered), NASTY) if offered else NASTY
    if spec["kind"] == "file":
        return st.binary(max_size=300).map(lambda data: SimpleUploadedFile("upload.pdf", data))
    if spec["kind"] == "multiple":
        return st.lists(choice, max_size=4)
    if spec["kind"] in ("checkbox", "radio"):
        return st.one_of(st.sampled_from([*offered, "on"]), NASTY)
    return choice


def post_data(form: Form):
    fields = {name: spec for name, spec in form.fields.items() if name != "csrfmiddlewaretoken"}
    return st.fixed_dictionaries({}, optional={n: value_strategy(s) for n, s in fields.items()})


def rolled_back(client: Client, method: str, url: str, data=None):
    cookies = {name: morsel.value for name, morsel in client.cookies.items()}
    with transaction.atomic():
        response = client.get(url) if method == "GET" else client.post(url, data or {})
        transaction.set_rollback(True)
    client.cookies.clear()
    for name, value in cookies.items():
        client.cookies[name] = value
    return response


def first_allowed(key: str) -> str | None:
    """The first persona (in ORDER) the access matrix lets open the page, or None."""
    row = row_for(key)
    if row is None:
        return None
    codes = dict(zip(PERSONAS, row[0], strict=True))
    return next((persona for persona in ORDER if codes.get(persona) == "200"), None)


def collect_forms(world, clients) -> dict[str, Form]:
    forms: dict[str, Form] = {}
    for pattern in matrix.walk():
        if "".join(pattern.parts).startswith("admin/"):
            continue
        try:
            url, _ = matrix.build_url(pattern, world.own, world)
        except KeyError:
            continue
        persona = first_allowed(pattern.key)
        if persona is None:
            continue
        response = rolled_back(clients[persona], "GET", url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = FormParser(url)
        parser.feed(response.content.decode(errors="replace"))
        found = list(parser.forms)
        # A question asked by GET first (what did you do? when?) leads to the POST form: answer
        # each step with its first choice, three steps at most.
        steps = [f for f in parser.get_forms if urlsplit(f[0]).path == urlsplit(url).path]
        for _ in range(3):
            if not steps:
                break
            answers = {n: spec["options"][0] for n, spec in steps[0][1].items() if spec["options"]}
            step = f"{urlsplit(url).path}?{urlencode(answers)}"
            answered = rolled_back(clients[persona], "GET", step)
            if answered.status_code != 200:
                break
            step_parser = FormParser(step)
            step_parser.feed(answered.content.decode(errors="replace"))
            found += step_parser.forms
            steps = [f for f in step_parser.get_forms if urlsplit(f[0]).path == urlsplit(url).path]
        for action, fields in found:
            if urlsplit(action).path.startswith(SKIP_ACTIONS) or action in forms:
                continue
            forms[action] = Form(action=action, persona=persona, fields=fields)
    return forms


@pytest.mark.django_db
def test_no_form_input_gives_a_500():
    world = build_access_world()
    clients = matrix.clients(world)
    forms = collect_forms(world, clients)
    # The enumeration found the forms people use most; if these go, it is broken.
    actions = " ".join(forms)
    for expected in ("/record/", "/invitations/new/", "/settings/", "/casefile/new/", "/stop/"):
        assert expected in actions, (expected, sorted(forms))
    assert len(forms) >= 25, sorted(forms)

    failures: list[str] = []
    for form in forms.values():
        try:
            fuzzer(form, clients[form.persona], failures)()
        except AssertionError:
            continue  # recorded; every form is still tried
    assert not failures, "\n".join(failures)


def fuzzer(form: Form, client: Client, failures: list[str]):
    @settings(
        max_examples=EXAMPLES_PER_FORM,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=post_data(form))
    def fuzz(data):
        response = rolled_back(client, "POST", form.action, data)
        if response.status_code >= 500:
            failures.append(f"{form.persona} POST {form.action} {sorted(data)}")
            raise AssertionError(failures[-1])

    return fuzz


def _broken_view(request):
    if request.method == "POST":
        raise ValueError("a form that falls over")
    return HttpResponse('<form method="post"><input name="text"></form>')


urlpatterns = [path("broken/", _broken_view)]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_the_fuzzer_reports_a_server_error(client):
    """The control: a form that fails is caught and named, so a pass above means something."""
    client.raise_request_exception = False
    failures: list[str] = []
    form = Form(
        action="/broken/", persona="anonymous", fields={"text": {"kind": "text", "options": []}}
    )
    with pytest.raises(AssertionError):
        fuzzer(form, client, failures)()
    assert failures and failures[0].startswith("anonymous POST /broken/")
