"""The cases app in the admin, by subject: reference data, cases, their targets and casefile
documents, and allocations with their holders."""

from . import allocations, cases, documents, reference

__all__ = ["allocations", "cases", "documents", "reference"]
