"""REST views of interviewer accounts: who is signed in, signing in and out, and (when allowed) signing up."""
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model, login, logout, password_validation
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError as DjangoValidationError
from django.middleware.csrf import get_token
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from .serializers import StrictCharField, StrictSerializer


class CredentialsSerializer(StrictSerializer):
    username = StrictCharField(max_length=150)
    password = StrictCharField(max_length=200, trim_whitespace=False)


class SignInThrottle(AnonRateThrottle):
    """Guessing passwords is slow: a few attempts a minute per client address."""

    rate = "10/min"

    def get_rate(self):
        return self.rate


def me(request) -> dict:
    user = request.user
    return {
        "authenticated": user.is_authenticated,
        "username": user.get_username() if user.is_authenticated else None,
        "can_create": user.is_authenticated or settings.PAD_OPEN_CREATION,
        "signup": settings.PAD_SELF_SIGNUP,
    }


class MeView(APIView):
    """Who is signed in in this browser, and what they may do; also sets the CSRF cookie."""

    @extend_schema(responses=dict)
    def get(self, request):
        get_token(request)  # the CSRF cookie the frontend sends back on writes
        return Response(me(request))


class LoginView(APIView):
    throttle_classes = [SignInThrottle]

    @extend_schema(request=CredentialsSerializer, responses=dict)
    def post(self, request):
        serializer = CredentialsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(request._request, **serializer.validated_data)
        if user is None:
            raise ValidationError({"password": ["wrong username or password"]})
        login(request._request, user)
        request.user = user  # DRF read the (anonymous) user before this request signed in
        return Response(me(request))


class LogoutView(APIView):
    @extend_schema(request=None, responses=dict)
    def post(self, request):
        logout(request._request)
        request.user = AnonymousUser()
        return Response(me(request))


class SignupView(APIView):
    """Make an interviewer account (only when PAD_SELF_SIGNUP is on)."""

    throttle_classes = [SignInThrottle]

    @extend_schema(request=CredentialsSerializer, responses=dict)
    def post(self, request):
        if not settings.PAD_SELF_SIGNUP:
            raise PermissionDenied("accounts are made by an administrator here")
        serializer = CredentialsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        username, password = serializer.validated_data["username"], serializer.validated_data["password"]
        users = get_user_model()
        if users.objects.filter(username=username).exists():
            raise ValidationError({"username": ["this username is taken"]})
        user = users(username=username)
        try:
            password_validation.validate_password(password, user)
        except DjangoValidationError as exc:
            raise ValidationError({"password": list(exc.messages)}) from None
        user.set_password(password)
        user.save()
        login(request._request, user, backend="django.contrib.auth.backends.ModelBackend")
        request.user = user
        return Response(me(request), status=status.HTTP_201_CREATED)


