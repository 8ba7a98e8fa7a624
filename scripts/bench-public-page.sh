#!/usr/bin/env bash
# The public rating page under load, side by side with nginx (issue 5's
# benchmark): the release server with the demo history serves the district
# league (207 districts and cities); nginx serves the same HTML, saved from
# the server, as a static file; wrk loads each in turn with the same
# connections, rounds alternating. Prints a markdown table of medians and
# the server's peak memory. Loopback only.
#
#   scripts/bench-public-page.sh [--seconds 20] [--connections 200] [--rounds 3]
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=20 connections=200 rounds=3
while (( $# )); do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    *) echo "unknown argument $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done

./scripts/setup.sh --bench >&2
export RUSTFLAGS="--cfg erase_components"
cargo build -q --release -p server --bin daraja
bin="${CARGO_TARGET_DIR:-target}/release/daraja"
nginx=$(command -v nginx || echo /usr/sbin/nginx)

dir=$(mktemp -d)
mkdir -p "$dir/html" "$dir/files" "$dir/nginx"
# nginx workers run as another user: they must be able to read the page.
chmod 755 "$dir" "$dir/html"
daraja_port=3410 nginx_port=3411
page=/ratings/district
DARAJA_DEMO=1 DARAJA_DATABASE_URL="sqlite://$dir/bench.sqlite?mode=rwc" \
  DARAJA_ADDR=127.0.0.1:$daraja_port DARAJA_LOG=warn DARAJA_FILES_DIR="$dir/files" \
  LEPTOS_SITE_ROOT=target/site LEPTOS_OUTPUT_NAME=daraja "$bin" > "$dir/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; [[ -f $dir/nginx/nginx.pid ]] && kill "$(cat "$dir/nginx/nginx.pid")" 2>/dev/null || true' EXIT
for _ in $(seq 600); do
  curl -sf -o /dev/null "http://127.0.0.1:$daraja_port$page" && break
  kill -0 $server 2>/dev/null || { cat "$dir/server.log"; exit 1; }
  sleep 0.2
done
curl -sf -H 'accept-language: en' "http://127.0.0.1:$daraja_port$page" > "$dir/html/league.html"
rows=$(grep -o '<tr' "$dir/html/league.html" | wc -l)
bytes=$(wc -c < "$dir/html/league.html")
chmod 644 "$dir/html/league.html"

cat > "$dir/nginx/nginx.conf" <<EOF
worker_processes auto;
daemon on;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/nginx/body;
  proxy_temp_path $dir/nginx/proxy;
  fastcgi_temp_path $dir/nginx/fastcgi;
  uwsgi_temp_path $dir/nginx/uwsgi;
  scgi_temp_path $dir/nginx/scgi;
  server {
    listen 127.0.0.1:$nginx_port;
    location = $page { default_type "text/html; charset=utf-8"; alias $dir/html/league.html; }
  }
}
EOF
"$nginx" -c "$dir/nginx/nginx.conf" -p "$dir/nginx"
sleep 0.5
same=$(curl -sf -H 'accept-language: en' "http://127.0.0.1:$nginx_port$page" | cmp -s - "$dir/html/league.html" && echo yes || echo no)

# One wrk run: "requests/s p50_ms p99_ms errors".
run() {
  local out
  out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -H 'accept-language: en' "$1")
  echo "$out" >> "$dir/wrk.log"
  python3 - "$out" <<'PY'
import re, sys
out = sys.argv[1]
def ms(label):
    m = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
errors = sum(int(x) for x in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
if sock:
    errors += sum(int(x) for x in sock.groups())
print(f"{rps:.0f} {ms('50'):.2f} {ms('99'):.2f} {errors}")
PY
}

# Warm both (the server renders and keeps the page on its first request).
wrk -t1 -c10 -d2s "http://127.0.0.1:$daraja_port$page" > /dev/null
wrk -t1 -c10 -d2s "http://127.0.0.1:$nginx_port$page" > /dev/null
: > "$dir/results"
for r in $(seq "$rounds"); do
  echo "nginx $(run "http://127.0.0.1:$nginx_port$page")" >> "$dir/results"
  echo "daraja $(run "http://127.0.0.1:$daraja_port$page")" >> "$dir/results"
  echo "round $r of $rounds done" >&2
done
hwm=$(awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$server/status")
rss=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$server/status")

python3 - "$dir/results" "$rows" "$bytes" "$same" "$hwm" "$rss" "$seconds" "$connections" "$rounds" <<'PY'
import statistics, sys
path, rows, size, same, hwm, rss, seconds, conns, rounds = sys.argv[1:]
runs = {}
for line in open(path):
    who, *v = line.split()
    runs.setdefault(who, []).append([float(x) for x in v])
med = {w: [statistics.median(r[i] for r in rs) for i in range(4)] for w, rs in runs.items()}
print(f"GET /ratings/district ({int(rows) - 1} table rows, {int(size):,} bytes; nginx serves the same bytes: {same}); "
      f"wrk -t2 -c{conns} -d{seconds}s, medians of {rounds} alternating rounds")
print()
print("| server | req/s | p50 ms | p99 ms | errors (all rounds) |")
print("|---|---:|---:|---:|---:|")
for w in ("nginx", "daraja"):
    m = med[w]
    errs = int(sum(r[3] for r in runs[w]))
    print(f"| {w} | {m[0]:,.0f} | {m[1]:.2f} | {m[2]:.2f} | {errs} |")
print()
print(f"daraja / nginx throughput: {med['daraja'][0] / med['nginx'][0]:.2f}x; "
      f"server peak RSS {hwm} MiB (now {rss} MiB)")
PY
