#!/usr/bin/env bash
# Production settings must pass `manage.py check --deploy` with no warnings (S22).
set -euo pipefail
export SKILLCERT_ENV=production
export SKILLCERT_SECRET_KEY="check-deploy-$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')"
export SKILLCERT_FIELD_KEY="$(head -c 32 /dev/urandom | base64)"
export SKILLCERT_BLIND_INDEX_KEY="$(head -c 32 /dev/urandom | base64)"
export SKILLCERT_ALLOWED_HOSTS="skillcert.example.cn"
export SKILLCERT_VAR_DIR="$(mktemp -d)"
.venv/bin/python manage.py check --deploy --fail-level WARNING
