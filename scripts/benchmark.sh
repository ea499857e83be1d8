#!/usr/bin/env bash
# To Link benchmarks: print figures as ratios against Frappe's /api/method/ping, same server, same run.
#
#   scripts/benchmark.sh care-path      matching and referral response (5,000 services, 10,000 citizens)
#   scripts/benchmark.sh vouchers       concurrent voucher redemptions and parcel deliveries
#   scripts/benchmark.sh gate           what the request gate costs per request (target <= 1.1x ping)
#   scripts/benchmark.sh scale [--citizens N] [--first M] [--also K,L] [--seed-only]
#                                       a city-sized dataset (N citizens, default 1,000,000, and ten
#                                       years of activity), the same operations timed at M (10,000)
#                                       and at N citizens (targets <= 10x ping, <= 1.5x growth)
#
# Runs on its own site (bench.tolink.localhost, created on first use; the scale benchmark uses
# scale.tolink.localhost, so the small benchmarks are not disturbed) against a gunicorn server
# with 4 workers, as production runs it. Needs scripts/setup.sh to have run once.
set -Eeuo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
what=${1:-care-path}
[ $# -gt 0 ] && shift
if [ "$what" = scale ]; then
	SITE=${TOLINK_BENCH_SITE:-scale.tolink.localhost}
	while [ $# -gt 0 ]; do
		case "$1" in
		--citizens) export TOLINK_SCALE_CITIZENS=$2; shift 2 ;;
		--first) export TOLINK_SCALE_FIRST=$2; shift 2 ;;
		--also) export TOLINK_SCALE_ALSO=$2; shift 2 ;;
		--seed-only) export TOLINK_SCALE_SEED_ONLY=1; shift ;;
		*) echo "unknown option $1" >&2; exit 2 ;;
		esac
	done
else
	SITE=${TOLINK_BENCH_SITE:-bench.tolink.localhost}
fi
cd "$BENCH_DIR"
export PATH="$BENCH_DIR/.bench-cli/bin:$BENCH_DIR/env/bin:$PATH"
[ -x env/bin/python ] || { echo "Run scripts/setup.sh first" >&2; exit 1; }
if [ ! -f "sites/$SITE/site_config.json" ]; then
	bash scripts/setup.sh --site "$SITE" --no-demo --no-start
fi
bench --site "$SITE" set-config --parse throttle_user_limit 100000 >/dev/null
bench --site "$SITE" tolink-benchmark "$what"
