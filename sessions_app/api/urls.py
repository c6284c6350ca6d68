from django.urls import path

from . import account_views, interview_views, question_views, record_views, run_views, views

urlpatterns = [
    path("sessions/", views.SessionListCreateView.as_view(), name="session-list"),
    path("sessions/<str:pk>/", views.SessionDetailView.as_view(), name="session-detail"),
    path("sessions/<str:pk>/code", views.SessionCodeView.as_view(), name="session-code"),
    path("sessions/<str:pk>/language", views.SessionLanguageView.as_view(), name="session-language"),
    path("sessions/<str:pk>/participants", views.ParticipantsView.as_view(), name="session-participants"),
    path("sessions/<str:pk>/history", views.HistoryView.as_view(), name="session-history"),
    path("sessions/<str:pk>/events", record_views.EventsView.as_view(), name="session-events"),
    path("sessions/<str:pk>/replay", record_views.ReplayView.as_view(), name="session-replay"),
    path("sessions/<str:pk>/record", record_views.RecordView.as_view(), name="session-record"),
    path("sessions/<str:pk>/file", record_views.CodeFileView.as_view(), name="session-file"),
    path("sessions/<str:pk>/end", interview_views.EndView.as_view(), name="session-end"),
    path("sessions/<str:pk>/reopen", interview_views.ReopenView.as_view(), name="session-reopen"),
    path("sessions/<str:pk>/claim", interview_views.ClaimView.as_view(), name="session-claim"),
    path("sessions/<str:pk>/notes", interview_views.NotesView.as_view(), name="session-notes"),
    path("sessions/<str:pk>/scorecard", interview_views.ScorecardView.as_view(), name="session-scorecard"),
    path("sessions/<str:pk>/interviewers", interview_views.InterviewersView.as_view(), name="session-interviewers"),
    path("sessions/<str:pk>/question", question_views.SessionQuestionView.as_view(), name="session-question"),
    path("questions/", question_views.QuestionListCreateView.as_view(), name="question-list"),
    path("questions/<int:pk>/", question_views.QuestionDetailView.as_view(), name="question-detail"),
    path("sessions/<str:pk>/runs", run_views.SessionRunsView.as_view(), name="session-runs"),
    path("sessions/<str:pk>/runs/<str:run_id>", run_views.SessionRunView.as_view(), name="session-run"),
    path("execute", run_views.ExecuteView.as_view(), name="execute"),
    path("languages/", views.LanguagesView.as_view(), name="languages"),
    path("auth/me", account_views.MeView.as_view(), name="auth-me"),
    path("auth/login", account_views.LoginView.as_view(), name="auth-login"),
    path("auth/logout", account_views.LogoutView.as_view(), name="auth-logout"),
    path("auth/signup", account_views.SignupView.as_view(), name="auth-signup"),
]
