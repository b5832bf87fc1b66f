#!/usr/bin/env bash
# `make demo` (after migrate, load-calendar and seed-demo): starts the task worker and the web
# server on http://127.0.0.1:8000/, prints the demo logins and stays in the foreground until
# Ctrl-C, then stops both. Safe to run again: leftovers of an earlier run are stopped first.
set -euo pipefail
cd "$(dirname "$0")/.."

HOST=127.0.0.1
PORT="${DEMO_PORT:-8000}"
URL="http://$HOST:$PORT"
PY=.venv/bin/python
VAR=var
PIDFILE="$VAR/demo.pids"
LOGDIR="$VAR/log"
mkdir -p "$LOGDIR"

# The demo runs with production-like pages (no debug) and without the second factor.
unset SKILLCERT_DEBUG
export SKILLCERT_OTP_REQUIRED=0
export PYTHONUNBUFFERED=1

is_ours() {  # a live process of this project's manage.py (not a recycled pid)
  local pid=$1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "manage.py"
}

stop_pids() {
  local pids=("$@") pid
  [ ${#pids[@]} -eq 0 ] && return 0
  for pid in "${pids[@]}"; do is_ours "$pid" && kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 50); do
    local alive=0
    for pid in "${pids[@]}"; do is_ours "$pid" && alive=1; done
    [ $alive -eq 0 ] && return 0
    sleep 0.1
  done
  for pid in "${pids[@]}"; do is_ours "$pid" && kill -KILL "$pid" 2>/dev/null || true; done
}

# 1. Leftovers of an earlier run (its pid file), then make sure the port is free.
if [ -f "$PIDFILE" ]; then
  mapfile -t old <"$PIDFILE"
  echo "停止上次演示遗留的进程：${old[*]}"
  stop_pids "${old[@]}"
  rm -f "$PIDFILE"
fi
if (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null; then
  echo "端口 $PORT 已被其他程序占用（不是本脚本启动的），请先停止它，或设置 DEMO_PORT。" >&2
  exit 1
fi

answers() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null
  else
    "$PY" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$1" 2>/dev/null
  fi
}

WORKER_PID=""
SERVER_PID=""
TAIL_PID=""
cleanup() {
  trap - INT TERM EXIT
  echo
  echo "正在停止演示服务……"
  stop_pids $SERVER_PID $WORKER_PID
  [ -n "$TAIL_PID" ] && kill "$TAIL_PID" 2>/dev/null
  # Remove the pid file only while it is still ours (a newer run may have taken over).
  if [ -f "$PIDFILE" ] && [ "$(head -n 1 "$PIDFILE")" = "$WORKER_PID" ]; then rm -f "$PIDFILE"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# 2. Static files: runserver --insecure serves them from the apps and xstatic directly (no collectstatic).

# 3. Task worker (django-tasks-db), all queues, output to var/log/demo-worker.log.
"$PY" manage.py db_worker --queue-name '*' --no-reload >"$LOGDIR/demo-worker.log" 2>&1 &
WORKER_PID=$!
echo "$WORKER_PID" >"$PIDFILE"

# 4. Web server.
"$PY" manage.py runserver "$HOST:$PORT" --insecure --noreload >"$LOGDIR/demo-server.log" 2>&1 &
SERVER_PID=$!
echo "$SERVER_PID" >>"$PIDFILE"

printf '启动中'
for _ in $(seq 1 120); do
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo; echo "网页服务启动失败，日志如下（$LOGDIR/demo-server.log）：" >&2
    tail -n 40 "$LOGDIR/demo-server.log" >&2
    exit 1
  fi
  answers "$URL/login/" && break
  printf '.'; sleep 0.5
done
echo
if ! answers "$URL/login/"; then
  echo "等待 $URL/login/ 超时；日志：$LOGDIR/demo-server.log" >&2
  exit 1
fi
if ! kill -0 "$WORKER_PID" 2>/dev/null; then
  echo "注意：后台任务进程已退出，日志：$LOGDIR/demo-worker.log" >&2
  tail -n 20 "$LOGDIR/demo-worker.log" >&2
fi

cat <<MSG

============================================================
 企业技能人才自主评价平台 · 演示
   打开  $URL/
   API   $URL/api/v1/docs
   考务  jz_exam 登录 → 考务组织 → “<今年>年第1批”：考场、座位、人员编排、准考证、考务文书、考试当天记录
         jz_worker 登录：工作台上的“我的准考证”
 注意：演示环境不要求第二因素（SKILLCERT_OTP_REQUIRED=0）；
       正式环境中人社部门人员和三员账号必须使用 TOTP 动态口令。
 Note: the demo does not enforce the second factor (TOTP).
 日志  $LOGDIR/demo-server.log  $LOGDIR/demo-worker.log
 按 Ctrl-C 停止。
============================================================
MSG
if [ -f "$VAR/demo-logins.txt" ]; then
  echo "演示账号（$VAR/demo-logins.txt）："
  cat "$VAR/demo-logins.txt"
else
  echo "（未找到 $VAR/demo-logins.txt：演示账号由 manage.py seed-demo 生成）"
fi
echo

# 5. Foreground until Ctrl-C (or until the server stops by itself); show the request log.
tail -n 0 -f "$LOGDIR/demo-server.log" --pid="$SERVER_PID" &
TAIL_PID=$!
wait "$SERVER_PID" || true
kill "$TAIL_PID" 2>/dev/null || true
echo "网页服务已退出；日志：$LOGDIR/demo-server.log" >&2
exit 1
