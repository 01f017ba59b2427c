"""Django settings for the reporting service."""
import os

DEBUG = False
SECRET_KEY = "suEmq2U3ne1nnWLMzSwmdNJKYWGYm!GQbueQDajQYVfQ6kSkdH"  # expect: secret.generic-assignment
ALLOWED_HOSTS = ["reports.example.com"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.mysql",
        "NAME": "reports",
        "USER": "reports",
        "PASSWORD": os.environ["DB_PASSWORD"],
        "HOST": "db",
    },
    "legacy": {
        "URL": "mysql://reports:3o4DYDBZ2AzfoDOY@legacy-db:3306/reports",  # expect: secret.database-url-password
    },
}

AWS_ACCESS_KEY_ID = "AKIAIMDAEWYOTX2TEAJZ"  # expect: secret.aws-access-key-id
AWS_SECRET_ACCESS_KEY = "a6htLvHadJ0oYMdQ2jv6c13cgvvuy+HrkXLwB3wS"  # expect: secret.aws-secret-access-key
AWS_EXAMPLE_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
AWS_EXAMPLE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
AWS_SESSION_TOKEN = os.getenv("AWS_SESSION_TOKEN")

STRIPE_SECRET_KEY = "sk_live_nQEN1yEHyLbQacxlRdCVzvfD"  # expect: secret.stripe-secret-key
STRIPE_PUBLISHABLE_KEY = "pk_live_2kNfOVml2gadDI8zRuUXKY9P"
STRIPE_WEBHOOK_SECRET = "whsec_E7Y8OMs2o6JXXCHpNBoH97bxaoCrfFwG"  # expect: secret.stripe-webhook-secret
STRIPE_TEST_KEY = "sk_test_xxxxxxxxxxxxxxxxxxxxxxxx"

OPENAI_API_KEY = "sk-proj-mMqkvTaaYj_8o3myeSjFCZrS3IoZn16oaWZ5ziPeK4lOSu04iAiRKmet3ixPJNYt"  # expect: secret.openai-api-key
ANTHROPIC_API_KEY = "sk-ant-api03-aqf3TmVwBS-amjgbEDjwGONNglzFm_fFwItj5iYH-yfv76Utn3NbLF39FsuKc3BHc7sTamKPNOluBVyHckfAt4XRLWDVDAA"  # expect: secret.anthropic-api-key
HF_TOKEN = "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"  # expect: secret.huggingface-token
OPENAI_MODEL = "gpt-4o-mini"
MAX_TOKENS = 4096
TOKEN_EXPIRY_SECONDS = 3600

PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [{"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"}]
LOGIN_REDIRECT_URL = "/"
CSRF_COOKIE_NAME = "csrftoken"
SESSION_COOKIE_NAME = "sessionid"
api_key = f"{os.environ['KEY_PREFIX']}-{os.environ['KEY_BODY']}"
password = os.environ.get("ADMIN_PASSWORD", "")
