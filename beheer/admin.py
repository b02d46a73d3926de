"""Accounts in the admin: who has two-factor login, and the invitation to set it up.

Users and groups stay with a superuser (convenant/migrations/0007); this only adds
to Django's own user admin a column and an action.
"""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Exists, OuterRef

from django_otp.plugins.otp_totp.models import TOTPDevice

from . import tweestaps

User = get_user_model()


class GebruikerAdmin(UserAdmin):
    list_display = (*UserAdmin.list_display, "tweestaps_ingesteld")
    actions = ["stuur_tweestaps_uitnodiging"]

    def get_queryset(self, request):
        bevestigd = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(_tweestaps=Exists(bevestigd))

    @admin.display(boolean=True, description="tweestapsverificatie", ordering="_tweestaps")
    def tweestaps_ingesteld(self, obj):
        return obj._tweestaps

    @admin.action(description="Uitnodiging voor tweestapsverificatie e-mailen", permissions=["change"])
    def stuur_tweestaps_uitnodiging(self, request, queryset):
        basis = request.build_absolute_uri("/")
        verstuurd, overgeslagen = [], []
        for user in queryset.order_by("username"):
            if not (user.is_active and user.is_staff):
                overgeslagen.append(f"{user.get_username()} (geen actief medewerkersaccount)")
            elif not user.email:
                overgeslagen.append(f"{user.get_username()} (geen e-mailadres)")
            else:
                tweestaps.stuur_uitnodiging(user, basis)
                verstuurd.append(user.get_username())
        if verstuurd:
            self.message_user(request, f"Uitnodiging gemaild aan {len(verstuurd)} account(s): {', '.join(verstuurd)}. "
                                       f"De link is {tweestaps.uitnodiging_geldig_dagen()} dagen geldig.",
                              messages.SUCCESS)
        if overgeslagen:
            self.message_user(request, "Geen uitnodiging voor: " + "; ".join(overgeslagen) + ".", messages.WARNING)


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, GebruikerAdmin)
