#!/usr/bin/env bash
# Browser tests drive Debian's chromium (never `playwright install`): installed here when missing.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "缺少 chromium：请用系统的包管理器安装（浏览器测试将被跳过）" >&2
  [ "${CI:-}" = "true" ] && exit 1 || exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo"; else
    echo "缺少 chromium；请以 root 运行：apt-get install chromium（浏览器测试将被跳过）" >&2
    [ "${CI:-}" = "true" ] && exit 1 || exit 0
  fi
fi
echo "安装 chromium（Debian 软件包）……"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
command -v chromium >/dev/null
