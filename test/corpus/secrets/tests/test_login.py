import pytest

from billing.auth import login

PASSWORD = "password123"
ADMIN_PASSWORD = "admin"
TOKEN = "test-token"
API_KEY = "fake-api-key-for-tests"


def test_login_with_valid_password(client):
    assert login(client, "alice", "hunter2")


def test_login_rejects_bad_token(client):
    assert not login(client, "alice", password="wrong-password", token="not-a-real-token")


def test_leaked_token_regression():
    # A real token someone pasted into a test; still a finding in a test file.
    token = "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"  # expect: secret.github-token
    assert token
