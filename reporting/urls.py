from django.urls import path

from . import views_charts, views_dashboard, views_figures, views_imports

app_name = "reporting"

urlpatterns = [
    path("dashboard/", views_dashboard.staff_dashboard, name="dashboard"),
    path("dashboard/<slug:figure>/", views_dashboard.figure_list, name="figure"),
    path("figures/", views_figures.yearly_figures, name="yearly_figures"),
    path("figures/report.pdf", views_figures.yearly_figures_pdf, name="yearly_figures_pdf"),
    path("charts/", views_charts.programme_charts, name="charts"),
    path("workload/", views_figures.coordinator_workload, name="workload"),
    path("imports/", views_imports.imports, name="imports"),
    path(
        "imports/templates/<slug:kind>.<slug:fmt>",
        views_imports.import_template,
        name="import_template",
    ),
    path("imports/<int:pk>/", views_imports.import_job, name="import_job"),
    path("imports/<int:pk>/confirm/", views_imports.confirm_import, name="confirm_import"),
]
