from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse
from django.urls import path, reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
@transaction.non_atomic_requests
def gezond(request):
    """Health check for a load balancer or monitor: 200 "ok" when the database answers, else 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database onbereikbaar", status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


class MedewerkerWachtwoordForm(PasswordResetForm):
    """Password reset for staff accounts only (others cannot log in here anyway)."""

    def get_users(self, email):
        return (u for u in super().get_users(email) if u.is_staff)


wachtwoord_urls = [
    path("vergeten/", auth_views.PasswordResetView.as_view(
        form_class=MedewerkerWachtwoordForm,
        email_template_name="beheer/wachtwoord_email.txt",
        subject_template_name="beheer/wachtwoord_onderwerp.txt",
        success_url=reverse_lazy("password_reset_done"),
    ), name="admin_password_reset"),
    path("verzonden/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("nieuw/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        success_url=reverse_lazy("password_reset_complete"),
    ), name="password_reset_confirm"),
    path("gewijzigd/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
