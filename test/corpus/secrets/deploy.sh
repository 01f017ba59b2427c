#!/usr/bin/env bash
set -euo pipefail

REGISTRY_PASSWORD="4rC4sQ9!cNtDuzj1QI" # expect: secret.generic-assignment
DEPLOY_TOKEN="${DEPLOY_TOKEN:?DEPLOY_TOKEN must be set}"
API_KEY="$(vault kv get -field=api_key secret/billing)"
password=""
echo "$REGISTRY_PASSWORD" | docker login registry.example.com -u ci --password-stdin
git push https://ci-bot:qFf4oOTRCJ7oBbk0NcjATbKG@git.example.org/billing/api.git HEAD:main # expect: secret.url-basic-auth
curl -fsS -H "Authorization: Bearer 17gTV5CojI1S-s3-gjK2UCvLdopaZm7Q" https://deploy.example.com/hooks/release # expect: secret.generic-assignment
export PGPASSWORD='V6uyK3hDLnM-!' # expect: secret.generic-assignment
curl -fsS -H "Authorization: Bearer ${DEPLOY_TOKEN}" https://deploy.example.com/hooks/status
