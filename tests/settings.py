"""Settings for the test suite: the site's settings on a development machine.

The site's settings default to production, where a missing secret key or host list stops the
start; tests run anywhere with no environment, so they ask for development unless DJANGO_ENV is
set already. Set in the environment, it also reaches the processes tests start (a Celery worker).
"""

import os

os.environ.setdefault("DJANGO_ENV", "development")

from iar_site.settings import *  # noqa: E402, F403
