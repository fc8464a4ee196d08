"""How every form renders: one renderer, one form template, one field template.

`FORM_RENDERER` points here, so `{{ form }}` and `{{ field.as_field_group }}` give the GOV.UK-style
error summary, the label above the field, the hint and the message beside it, and Bootstrap's
classes on every widget, for the app's forms, the filters and the invitations alike.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting


def widget_css_class(widget: forms.Widget) -> str:
    """Bootstrap's class for a widget ('' for hidden inputs, which take none)."""
    if widget.is_hidden:
        return ""
    if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.CheckboxInput)):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


class StyledBoundField(BoundField):
    def build_widget_attrs(
        self, attrs: dict[str, Any], widget: forms.Widget | None = None
    ) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        css = widget_css_class(widget)
        # django-stubs allows True as an attribute value (a bare HTML attribute); a class is text.
        classes = cast("str", attrs.get("class") or widget.attrs.get("class", "")).split()
        if css and css not in classes:
            attrs["class"] = " ".join([*classes, css])
        return attrs


class FormRenderer(TemplatesSetting):
    """Django's renderer, reading the project's templates (templates/forms/)."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = StyledBoundField
