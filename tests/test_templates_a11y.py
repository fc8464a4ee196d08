"""Every sideways-scrolling table box can be reached and named by a keyboard user.

A `.table-responsive` box scrolls on a phone. If it cannot take focus, a keyboard user cannot
scroll it and never sees the right-hand columns (WCAG 2.1.1; axe's
"scrollable-region-focusable"). Each one therefore needs `tabindex="0"`, `role="region"` and a
name saying what it lists. The browser tests check a few pages; this reads every template so a
new table cannot slip in on a page they do not visit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

_TEMPLATE_CLOSERS = {"{%": "%}", "{{": "}}", "{#": "#}"}
_ATTRIBUTE = re.compile(r"""([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")


def _start_tags(source: str) -> Iterator[tuple[int, str]]:
    """Yield (line number, text) of each HTML start tag.

    A `>` inside a template tag (`{% if a > b %}`) or a quoted value does not end the tag.
    """
    position = 0
    while (position := source.find("<", position)) != -1:
        if not source[position + 1 : position + 2].isalpha():
            position += 1
            continue
        end, quote = position + 1, ""
        while end < len(source):
            opener = source[end : end + 2]
            if opener in _TEMPLATE_CLOSERS:
                close = source.find(_TEMPLATE_CLOSERS[opener], end + 2)
                end = len(source) if close == -1 else close + 2
                continue
            char = source[end]
            if quote:
                quote = "" if char == quote else quote
            elif char in "\"'":
                quote = char
            elif char == ">":
                break
            end += 1
        yield source.count("\n", 0, position) + 1, source[position : end + 1]
        position = end + 1


def _attributes(tag: str) -> dict[str, str]:
    """The tag's attributes, with template syntax flattened so quotes inside it parse.

    `{{ x }}` becomes a placeholder word (a value made at render time is still a value) and
    `{% ... %}` a space, so a class or label written inside `{% if %}` still counts.
    """
    flat = re.sub(r"\{\{.*?\}\}", "T", tag, flags=re.S)
    flat = re.sub(r"\{[%#].*?[%#]\}", " ", flat, flags=re.S)
    inside = re.sub(r"^<[^\s>]+|/?>$", "", flat)
    return {
        m.group(1).lower(): next((v for v in m.groups()[1:] if v is not None), "")
        for m in _ATTRIBUTE.finditer(inside)
    }


def _is_scroll_box(attributes: dict[str, str]) -> bool:
    # Bootstrap's breakpoint variants (table-responsive-md, ...) scroll below their width too.
    return any(
        token == "table-responsive" or token.startswith("table-responsive-")
        for token in attributes.get("class", "").split()
    )


def problems_in(source: str) -> list[tuple[int, str]]:
    """(line, what is wrong) for each table scroll box in one template's source."""
    tags = list(_start_tags(source))
    ids = {_attributes(tag).get("id", "").strip() for _, tag in tags} - {""}
    found = []
    for line, tag in tags:
        attributes = _attributes(tag)
        if not _is_scroll_box(attributes):
            continue
        missing = []
        if attributes.get("tabindex", "").strip() != "0":
            missing.append('tabindex="0"')
        if attributes.get("role", "").strip() != "region":
            missing.append('role="region"')
        label = attributes.get("aria-label", "").strip()
        labelled_by = attributes.get("aria-labelledby", "").split()
        if not label and not labelled_by:
            missing.append("an aria-label or aria-labelledby naming what it lists")
        unknown = [name for name in labelled_by if name not in ids]
        if not label and unknown:
            missing.append(f"an element with id {', '.join(unknown)} (aria-labelledby)")
        if missing:
            found.append((line, "needs " + ", ".join(missing)))
    return found


def test_every_table_scroll_box_is_focusable_and_named():
    failures = []
    boxes = 0
    for path in sorted(p for p in TEMPLATES.rglob("*") if p.is_file()):
        source = path.read_text(encoding="utf-8")
        boxes += source.count("table-responsive")
        relative = path.relative_to(TEMPLATES.parent)
        failures += [f"{relative}:{line}: {problem}" for line, problem in problems_in(source)]
    # Guards against the check passing because it looked in the wrong place.
    assert boxes >= 20
    assert not failures, "Table scroll boxes a keyboard cannot reach:\n" + "\n".join(failures)


@pytest.mark.parametrize(
    ("source", "line", "expected"),
    [
        (
            '<div class="table-responsive"><table></table></div>',
            1,
            ['tabindex="0"', "region", "aria-label"],
        ),
        (
            '<p>\n</p>\n<div class="x table-responsive-md" tabindex="0" role="region">',
            3,
            ["aria-label"],
        ),
        (
            '<div class="table-responsive" tabindex="-1" role="region" aria-label="Cases">',
            1,
            ['tabindex="0"'],
        ),
        (
            '<div class="table-responsive" tabindex="0" role="region" aria-label="  ">',
            1,
            ["aria-label"],
        ),
        (
            '<h2 id="other">Cases</h2>\n<div class="table-responsive" tabindex="0" role="region" aria-labelledby="cases">',
            2,
            ["id cases"],
        ),
        (
            '<div {% if a > b %}data-x="1"{% endif %}\n  class="{% if wide %}table-responsive{% endif %}">',
            1,
            ['tabindex="0"'],
        ),
    ],
)
def test_the_check_catches_a_box_that_is_not_reachable(source, line, expected):
    [(found_line, problem)] = problems_in(source)
    assert found_line == line
    for words in expected:
        assert words in problem


@pytest.mark.parametrize(
    "source",
    [
        '<div class="table-responsive" tabindex="0" role="region" aria-label="Groups on this case">',
        '<h2 id="jobs">Recent</h2><div class="table-responsive" tabindex="0" role="region" aria-labelledby="jobs">',
        (
            '<h3 id="rows-{{ r.pk }}">x</h3>'
            '<div class="table-responsive" tabindex="0" role="region" aria-labelledby="rows-{{ r.pk }}">'
        ),
        """<div class="table-responsive" tabindex="0" role="region" aria-label="{{ x|date:"j M" }} rows">""",
        (
            "<div class='table-responsive' tabindex=0 role=region "
            "aria-label=\"{% if 'a' in t %}Sessions{% else %}Keys{% endif %}\">"
        ),
        '<div class="table">{% if a > b %}<span class="table-sm">{% endif %}',
    ],
)
def test_the_check_accepts_a_reachable_named_box(source):
    assert problems_in(source) == []
