"""Staff pages about groups. `iar_site.urls` mounts these under /staff/ in the `staff`
namespace together with `cases.urls_staff`, so both keep names such as `staff:group`."""

from django.urls import path

from . import views_staff

urlpatterns = [
    path("cases/<ref:reference>/match/", views_staff.match_groups, name="match_groups"),
    path("cases/<ref:reference>/allocate/<int:group_id>/", views_staff.allocate, name="allocate"),
    path("groups/", views_staff.group_list, name="group_list"),
    path("groups/<int:pk>/", views_staff.group_detail, name="group"),
]
