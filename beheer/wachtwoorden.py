"""Password rules in Dutch where Django's own translation falls short."""

from django.contrib.auth.password_validation import MinimumLengthValidator


class MinimumLengte(MinimumLengthValidator):
    """Django's minimum length; Django 5.2's Dutch translation lacks this message (it showed in English)."""

    def get_error_message(self):
        tekens = "teken" if self.min_length == 1 else "tekens"
        return f"Dit wachtwoord is te kort. Het moet minstens {self.min_length} {tekens} bevatten."
