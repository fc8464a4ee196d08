"""What the cases app announces to the apps above it, which it may not import.

`targets_changed` is sent inside the transaction of every change of a case's campaign targets
(added, replaced, retired) with the keyword arguments `case`, `summary` (Markdown naming the
change), `on` (the date it takes effect) and `actor`. The coordinators app answers it with a
"targets changed" update to the groups on the case, so a receiver's error undoes the change.
"""

from django.dispatch import Signal

targets_changed = Signal()
