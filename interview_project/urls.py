from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from sessions_app.api.health import HealthView
from sessions_app.views import frontend

urlpatterns = [
    path("", frontend, name="home"),
    path("session/<str:session_id>", frontend, name="session-page"),
    path("session/<str:session_id>/replay", frontend, name="replay-page"),
    path("login", frontend, name="login-page"),
    path("dashboard", frontend, name="dashboard-page"),
    path("admin/", admin.site.urls),
    path("api/", include("sessions_app.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("health", HealthView.as_view(), name="health"),
]
