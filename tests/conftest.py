import pytest

from convenant.management.commands.bootstrap import laad_referentiedata


@pytest.fixture
def referentiedata(db):
    """The real reference data: 2 convenants, 41 municipalities, 81 agreements."""
    laad_referentiedata()


@pytest.fixture
def beheerder(db, django_user_model):
    return django_user_model.objects.create_superuser("testbeheerder", "b@example.org", "pw-test-123")


@pytest.fixture
def beheerder_client(client, beheerder):
    client.force_login(beheerder)
    return client
