"""The import's two steps run in the worker: a large file takes minutes."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def check_import(job_id: int) -> str:
    return services.check_import(job_id).status


@shared_task(ignore_result=True)
def run_import(job_id: int) -> str:
    return services.run_import(job_id).status
