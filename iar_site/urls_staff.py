"""The /staff/ pages of the cases and groups apps under one `staff` namespace, so a template
names `staff:case` and `staff:group` alike whichever app owns the page."""

from cases.urls_staff import urlpatterns as case_pages
from groups.urls_staff import urlpatterns as group_pages

app_name = "staff"

urlpatterns = [*case_pages, *group_pages]
