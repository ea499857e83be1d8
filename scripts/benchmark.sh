#!/usr/bin/env bash
# To Link benchmarks: print figures as ratios against Frappe's /api/method/ping, same server, same run.
#
#   scripts/benchmark.sh care-path      matching and referral response (5,000 services, 10,000 citizens)
#   scripts/benchmark.sh vouchers       concurrent voucher redemptions and parcel deliveries
#   scripts/benchmark.sh gate           what the request gate costs per request (target <= 1.1x ping)
#
# Runs on its own site (bench.tolink.localhost, created on first use) against a gunicorn server
# with 4 workers, as production runs it. Needs scripts/setup.sh to have run once.
set -Eeuo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SITE=${TOLINK_BENCH_SITE:-bench.tolink.localhost}
what=${1:-care-path}
cd "$BENCH_DIR"
export PATH="$BENCH_DIR/.bench-cli/bin:$BENCH_DIR/env/bin:$PATH"
[ -x env/bin/python ] || { echo "Run scripts/setup.sh first" >&2; exit 1; }
if [ ! -f "sites/$SITE/site_config.json" ]; then
	bash scripts/setup.sh --site "$SITE" --no-demo --no-start
fi
bench --site "$SITE" set-config --parse throttle_user_limit 100000 >/dev/null
bench --site "$SITE" tolink-benchmark "$what"
