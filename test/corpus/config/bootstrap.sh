#!/usr/bin/env bash
set -euo pipefail
# Installs the toolchain for local development.
curl -sSf https://sh.rustup.rs | sh -s -- -y # expect: config.remote-script-piped-to-shell
curl -fsSL https://example.com/versions.json | jq -r '.stable'
wget -q https://example.com/tool.tar.gz -O - | tar xz
# Never pipe curl into sh in CI; see docs/install.md
