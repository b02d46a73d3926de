"""Requests no view should see.

A NUL character (``%00``) in the address or a query parameter can never be
meaningful here, and PostgreSQL refuses it in any text comparison
(``DataError``): without this, ``?token=%00`` on the calendar feed or a crafted
admin filter would end in a server error. Such a request gets 400 with a Dutch
message before any view runs.
"""

from django.http import HttpResponseBadRequest


class GeenNultekensMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in sleutel or any("\x00" in w for w in waarden) for sleutel, waarden in request.GET.lists()
        ):
            return HttpResponseBadRequest(
                "Ongeldig adres: het bevat een nulteken (%00).", content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)
