"""Make the load test's accounts in the throw-away database: N secretariaat accounts, each with a
random password and its own TOTP device (so 20 users can log in at once with a second factor).
Writes {"gebruikers": [{"naam", "wachtwoord", "totp_sleutel"}], "pdf_ids": [...]} to the given file.
Run with manage.py shell: python manage.py shell -c "exec(open('benchmarks/belasting/gebruikers.py').read())"
"""

import json
import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from django_otp.plugins.otp_totp.models import TOTPDevice

from convenant import toegang
from overeenkomsten.models import Samenwerkingsovereenkomst

uit, aantal = os.environ["BELASTING_GEBRUIKERS"], int(os.environ.get("BELASTING_AANTAL", "20"))
groep = Group.objects.get(name=toegang.SECRETARIAAT)
lijst = []
for i in range(1, aantal + 1):
    wachtwoord = secrets.token_urlsafe(16)
    user = get_user_model().objects.create_user(f"belasting{i:02d}", f"belasting{i:02d}@example.org", wachtwoord,
                                                is_staff=True)
    user.groups.add(groep)
    apparaat = TOTPDevice.objects.create(user=user, name="authenticator-app", confirmed=True)
    lijst.append({"naam": user.username, "wachtwoord": wachtwoord, "totp_sleutel": apparaat.key})
pdf_ids = list(Samenwerkingsovereenkomst.objects.filter(convenant__slug="2023-2027").order_by("pk")
               .values_list("pk", flat=True))
with open(uit, "w") as f:
    json.dump({"gebruikers": lijst, "pdf_ids": pdf_ids}, f)
print(f"{aantal} testaccounts aangemaakt.")
