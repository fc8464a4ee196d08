#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iar_site.settings")
    # Commands typed at a terminal (migrate, makemigrations, shell) are development unless told
    # otherwise. What serves people, gunicorn through wsgi.py and the Celery worker and beat,
    # still defaults to production and refuses to start without its secret key and hosts.
    os.environ.setdefault("DJANGO_ENV", "development")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
