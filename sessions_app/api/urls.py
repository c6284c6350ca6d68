from django.urls import path

from . import views

urlpatterns = [
    path("sessions/", views.SessionCreateView.as_view(), name="session-create"),
    path("sessions/<str:pk>/", views.SessionDetailView.as_view(), name="session-detail"),
    path("sessions/<str:pk>/code", views.SessionCodeView.as_view(), name="session-code"),
    path("sessions/<str:pk>/language", views.SessionLanguageView.as_view(), name="session-language"),
    path("sessions/<str:pk>/participants", views.ParticipantsView.as_view(), name="session-participants"),
    path("sessions/<str:pk>/history", views.HistoryView.as_view(), name="session-history"),
    path("languages/", views.LanguagesView.as_view(), name="languages"),
]
