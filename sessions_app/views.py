"""The pages a browser loads: the built frontend's index.html for every app route."""
from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.csrf import ensure_csrf_cookie


@ensure_csrf_cookie
def frontend(request, session_id=None):
    """Serve the single-page app; React picks the page from the path (and writes send the CSRF cookie back)."""
    index = settings.FRONTEND_DIST / "index.html"
    if not index.exists():
        return HttpResponse(
            "<h1>interview pad</h1><p>The frontend is not built yet: run <code>./start-dev.sh</code> "
            "(or <code>npm --prefix frontend run build</code>).</p>",
            status=503,
        )
    return HttpResponse(index.read_bytes(), content_type="text/html; charset=utf-8")
