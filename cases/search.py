"""Finding confidential cases by name, for those allowed to see them (staff lists, the admin).

A confidential case's title and its people's names are stored sealed (iar_site.fields), so SQL's
`icontains` cannot see them. Confidential cases are few: their titles and names are read, opened
here and matched in Python, and the matching ids are added to the SQL search of the others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils.text import smart_split, unescape_string_literal

from .models import Case, CasePerson

if TYPE_CHECKING:
    from collections.abc import Iterable


def confidential_ids_matching(
    words: Iterable[str], cases: QuerySet[Case] | None = None
) -> set[int]:
    """Ids of the confidential cases (among `cases`, all of them by default) whose title, people's
    names or reference contain every one of `words`, ignoring case."""
    wanted = [w.casefold() for w in words if w.strip()]
    if not wanted:
        return set()
    base = Case.objects.all() if cases is None else cases
    # Only what is needed, without the ordering or annotations the caller's queryset may carry.
    rows = (
        base.filter(sensitivity=Case.Sensitivity.CONFIDENTIAL)
        .order_by()
        .values_list("pk", "reference", "title")
    )
    texts: dict[int, list[str]] = {
        pk: [reference.casefold(), title.casefold()] for pk, reference, title in rows
    }
    if not texts:
        return set()
    names = CasePerson.objects.filter(case_id__in=list(texts)).values_list("case_id", "name")
    for case_id, name in names:
        texts[case_id].append(name.casefold())
    return {pk for pk, found in texts.items() if _all_found(wanted, found)}


def _all_found(words: list[str], texts: list[str]) -> bool:
    return all(any(word in text for text in texts) for word in words)


def admin_search_words(search_term: str) -> list[str]:
    """The words the admin searches for, split as Django's admin splits them."""
    words = []
    for bit in smart_split(search_term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        words.append(bit)
    return words


class ConfidentialCaseSearchMixin:
    """For a ModelAdmin whose search covers a case's title or its people's names: a confidential
    case is found by them too. `case_path` is the path of forward relations from the admin's
    model to the case ("" for the case itself, "case", "allocation__case", ...)."""

    case_path = "case"

    def get_search_results(
        self, request: Any, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        ids = confidential_ids_matching(admin_search_words(search_term))
        if not ids:
            return super().get_search_results(request, queryset, search_term)  # type: ignore[misc]
        # The admin's own search over a bare queryset, then the confidential matches, compared
        # by key so the admin's annotations and joins stay as they were.
        plain, _ = super().get_search_results(  # type: ignore[misc]
            request, queryset.model._default_manager.all(), search_term
        )
        lookup = f"{self.case_path}__pk__in" if self.case_path else "pk__in"
        found = queryset.filter(Q(pk__in=plain.values("pk")) | Q(**{lookup: ids}))
        # `pk__in` and forward relations join no many-valued table: no duplicate rows.
        return found, False
