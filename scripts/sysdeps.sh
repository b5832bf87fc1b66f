#!/usr/bin/env bash
# Installs the Debian packages WeasyPrint and the CJK fonts need, when missing (root or sudo).
set -euo pipefail
need=()
for pkg in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk poppler-utils; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
[ ${#need[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "缺少系统软件包：${need[*]}（请用系统的包管理器安装）" >&2; exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo"; else
    echo "缺少系统软件包：${need[*]}；请以 root 运行：apt-get install ${need[*]}" >&2; exit 0
  fi
fi
echo "安装系统软件包：${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
