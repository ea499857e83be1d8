#!/usr/bin/env bash
# To Link: set up the bench, create the demo site and start the system.
#
#   scripts/setup.sh                 set everything up, load the demo data, start (Ctrl-C stops)
#   scripts/setup.sh --no-start      set everything up and stop there
#
# Safe to re-run: every step checks what is already there. See --help for the options.
set -Eeuo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CONF_DIR=${TOLINK_CONFIG_DIR:-${XDG_CONFIG_HOME:-$HOME/.config}/tolink}
CACHE_DIR=${TOLINK_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/tolink}
FRAPPE_BRANCH=version-15
FRAPPE_UPSTREAM=https://github.com/frappe/frappe
BENCH_VERSION="frappe-bench>=5.22,<6"

SITE=tolink.localhost
START=1
DEMO=1
TEST_SITE=0
FRAPPE_SOURCE_ARG=""
DATEPICKER_SOURCE_ARG=""
WEB_PORT=${TOLINK_WEB_PORT:-8000}

usage() {
	cat <<EOF
Usage: scripts/setup.sh [options]

Sets up the To Link bench in $BENCH_DIR: checks (and, as root on Debian/Ubuntu,
installs) MariaDB, Redis, Node and yarn; creates env/; gets Frappe $FRAPPE_BRANCH; installs
the tolink app; builds assets; creates the site $SITE with demo data; starts the Procfile.

Options:
  --frappe-source PATH|URL    where to get Frappe from (a local git clone for offline machines);
                              remembered in $CONF_DIR/setup.conf
  --air-datepicker-source PATH
                              a local clone of frappe/air-datepicker (Frappe's one npm dependency
                              that lives on GitHub); remembered like --frappe-source
  --site NAME                 site to create (default $SITE)
  --no-demo                   do not load the demo network (production installs)
  --test-site                 (re)create NAME as a throw-away test site: fresh database, allow_tests
  --no-start                  stop after setup instead of running 'bench start'
  -h, --help                  this help

Administrator's password: 'admin' on demo and test sites (local use only). A production
site (--no-demo) gets a random one, shown once at the end of setup and kept in
$CONF_DIR/SITE-administrator-password (mode 600, outside the repository); an existing
production site still using 'admin' gets it too.

Environment: TOLINK_ADMIN_PASSWORD (Administrator password of a new site; wins over the
above), TOLINK_WEB_PORT (default 8000).
EOF
}

while [ $# -gt 0 ]; do
	case "$1" in
	--frappe-source) FRAPPE_SOURCE_ARG=$2; shift 2 ;;
	--air-datepicker-source) DATEPICKER_SOURCE_ARG=$2; shift 2 ;;
	--site) SITE=$2; shift 2 ;;
	--no-demo) DEMO=0; shift ;;
	--test-site) TEST_SITE=1; DEMO=0; shift ;;
	--no-start) START=0; shift ;;
	-h | --help) usage; exit 0 ;;
	*) echo "Unknown option: $1 (see --help)" >&2; exit 2 ;;
	esac
done

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
info() { printf '    %s\n' "$*"; }
die() {
	printf '\n\033[31mERROR:\033[0m %s\n' "$*" >&2
	exit 1
}
trap 'die "setup failed at line $LINENO: $BASH_COMMAND"' ERR

is_root() { [ "$(id -u)" = 0 ]; }
have() { command -v "$1" >/dev/null 2>&1; }
can_apt() { is_root && have apt-get; }

APT_UPDATED=0
apt_install() {
	can_apt || return 1
	if [ $APT_UPDATED = 0 ]; then
		DEBIAN_FRONTEND=noninteractive apt-get update -qq
		APT_UPDATED=1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# ---------------------------------------------------------------- remembered options
mkdir -p "$CONF_DIR" "$CACHE_DIR"
chmod 700 "$CONF_DIR"
SETUP_CONF=$CONF_DIR/setup.conf
FRAPPE_SOURCE=""
AIR_DATEPICKER_SOURCE=""
# shellcheck disable=SC1090
[ -f "$SETUP_CONF" ] && . "$SETUP_CONF"
[ -n "$FRAPPE_SOURCE_ARG" ] && FRAPPE_SOURCE=$FRAPPE_SOURCE_ARG
[ -n "$DATEPICKER_SOURCE_ARG" ] && AIR_DATEPICKER_SOURCE=$DATEPICKER_SOURCE_ARG
for src in FRAPPE_SOURCE AIR_DATEPICKER_SOURCE; do
	val=${!src}
	if [ -n "$val" ] && [ -e "$val" ]; then
		printf -v "$src" '%s' "$(cd "$val" && pwd)"
	fi
done
{
	echo "# written by $BENCH_DIR/scripts/setup.sh; edit or delete freely"
	printf 'FRAPPE_SOURCE=%q\n' "$FRAPPE_SOURCE"
	printf 'AIR_DATEPICKER_SOURCE=%q\n' "$AIR_DATEPICKER_SOURCE"
} >"$SETUP_CONF"
FRAPPE_SOURCE=${FRAPPE_SOURCE:-$FRAPPE_UPSTREAM}

# ---------------------------------------------------------------- system requirements
step "Checking system requirements"
missing=()
have git || missing+=(git)
have python3 || missing+=(python3 python3-venv python3-dev)
have mariadb || have mysql || missing+=(mariadb-client)
have redis-cli || missing+=(redis-tools)
have node || missing+=(nodejs npm)
have cc || missing+=(build-essential)
have pkg-config || missing+=(pkg-config)
if [ ${#missing[@]} -gt 0 ]; then
	if can_apt; then
		info "installing: ${missing[*]}"
		apt_install "${missing[@]}"
	else
		die "missing: ${missing[*]}. Install them (Debian/Ubuntu: sudo apt-get install ${missing[*]}) and run again."
	fi
fi

PY=$(command -v python3)
PYV=$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
case "$PYV" in
3.10 | 3.11 | 3.12) info "python $PYV ($PY)" ;;
*) die "Frappe v15 needs Python 3.10-3.12, found $PYV at $PY" ;;
esac
"$PY" -c 'import venv, ensurepip' 2>/dev/null || {
	can_apt && apt_install "python$PYV-venv" || die "python3 venv support is missing (apt-get install python$PYV-venv)"
}
NODE_MAJOR=$(node -p 'process.versions.node.split(".")[0]')
[ "$NODE_MAJOR" -ge 18 ] || die "Frappe v15 needs Node 18 or newer, found $(node --version)"
info "node $(node --version)"
if ! have yarn; then
	if is_root || [ -w "$(npm root -g)" ]; then
		info "installing yarn (npm install -g yarn)"
		npm install -g --silent yarn >/dev/null
	else
		die "yarn is missing: run 'sudo npm install -g yarn' and run again"
	fi
fi
info "yarn $(yarn --version)"
if ! have chromium; then
	# headless browser for the browser tests (Debian's build works; downloaded builds do not)
	if can_apt; then
		info "installing chromium (browser tests)"
		apt_install chromium fonts-liberation || info "could not install chromium: the browser test will fail"
	else
		info "chromium not found: the browser test needs it (apt-get install chromium)"
	fi
fi
if ! have nginx && [ ! -x /usr/sbin/nginx ]; then
	# the production proxy's file (config/nginx/tolink.conf) is tested in front of a live server
	if can_apt; then
		info "installing nginx (the production proxy file is tested with it)"
		apt_install nginx || info "could not install nginx: the nginx test will fail"
	else
		info "nginx not found: the nginx test needs it (apt-get install nginx)"
	fi
fi
have wkhtmltopdf || info "wkhtmltopdf not found: PDF prints use Frappe's Chrome/WeasyPrint fallback where possible"

# MariaDB: reachable as root over the socket (Debian's default) to create our admin user.
MYSQL=$(command -v mariadb || command -v mysql)
root_sql() { "$MYSQL" -uroot --protocol=socket "$@" 2>/dev/null || "$MYSQL" -uroot -h127.0.0.1 "$@"; }
if ! root_sql -e 'select 1' >/dev/null 2>&1; then
	if can_apt && ! have mariadbd && ! [ -x /usr/sbin/mariadbd ]; then
		info "installing mariadb-server"
		apt_install mariadb-server
	fi
	if is_root && [ -x /usr/sbin/mariadbd ]; then
		info "starting MariaDB"
		(service mariadb start || start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd) >/dev/null 2>&1 || true
		for _ in $(seq 1 30); do root_sql -e 'select 1' >/dev/null 2>&1 && break; sleep 1; done
	fi
	root_sql -e 'select 1' >/dev/null 2>&1 ||
		die "MariaDB is not reachable as root (socket or 127.0.0.1:3306). Start it, or install it with 'apt-get install mariadb-server'."
fi
MARIADB_VERSION=$(root_sql -N -e 'select version()')
info "MariaDB $MARIADB_VERSION"
charset=$(root_sql -N -e 'select @@character_set_server')
[ "$charset" = utf8mb4 ] || die "MariaDB character_set_server is $charset; Frappe needs utf8mb4 (set character-set-server = utf8mb4 and collation-server = utf8mb4_unicode_ci in the [mysqld] section and restart MariaDB)."

# Redis: Frappe silently stops caching (and gets ~50x slower) without it, so it is required.
REDIS_HOST=${TOLINK_REDIS_HOST:-127.0.0.1}
REDIS_PORT=${TOLINK_REDIS_PORT:-6379}
redis_ok() { [ "$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; }
if ! redis_ok; then
	if can_apt && ! have redis-server; then
		info "installing redis-server"
		apt_install redis-server
	fi
	if is_root && have redis-server && [ "$REDIS_HOST" = 127.0.0.1 ]; then
		info "starting Redis on $REDIS_HOST:$REDIS_PORT"
		redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no >/dev/null
		for _ in $(seq 1 20); do redis_ok && break; sleep 0.5; done
	fi
	redis_ok || die "Redis is not reachable at $REDIS_HOST:$REDIS_PORT. Start it (e.g. 'redis-server --daemonize yes') or install it ('apt-get install redis-server'). Frappe without Redis silently stops caching and becomes ~50x slower, so setup stops here."
fi
info "Redis at $REDIS_HOST:$REDIS_PORT"

# ---------------------------------------------------------------- MariaDB admin user for bench
# bench new-site treats an empty root password as missing and prompts, so bench gets an admin
# account of its own, with a random password kept in $CONF_DIR (one per machine, not in the repo).
DB_ADMIN_USER=tolink_admin
DB_ADMIN_FILE=$CONF_DIR/db-admin-password
if [ ! -s "$DB_ADMIN_FILE" ]; then
	(umask 077 && "$PY" -c 'import secrets; print(secrets.token_urlsafe(24))' >"$DB_ADMIN_FILE")
fi
DB_ADMIN_PASSWORD=$(cat "$DB_ADMIN_FILE")
if ! "$MYSQL" -u"$DB_ADMIN_USER" -p"$DB_ADMIN_PASSWORD" -h127.0.0.1 -e 'select 1' >/dev/null 2>&1; then
	step "Creating the MariaDB admin account '$DB_ADMIN_USER' for bench"
	for host in localhost 127.0.0.1; do
		root_sql -e "CREATE USER IF NOT EXISTS '$DB_ADMIN_USER'@'$host' IDENTIFIED BY '$DB_ADMIN_PASSWORD';
			ALTER USER '$DB_ADMIN_USER'@'$host' IDENTIFIED BY '$DB_ADMIN_PASSWORD';
			GRANT ALL PRIVILEGES ON *.* TO '$DB_ADMIN_USER'@'$host' WITH GRANT OPTION;"
	done
	root_sql -e 'FLUSH PRIVILEGES'
fi

# ---------------------------------------------------------------- bench CLI and Python env
cd "$BENCH_DIR"
mkdir -p logs config/pids sites apps
if [ ! -x .bench-cli/bin/bench ]; then
	step "Installing the bench CLI into .bench-cli/"
	"$PY" -m venv .bench-cli
	.bench-cli/bin/pip install -q --upgrade pip
	.bench-cli/bin/pip install -q "$BENCH_VERSION"
fi
export PATH="$BENCH_DIR/.bench-cli/bin:$BENCH_DIR/env/bin:$PATH"
info "$(bench --version 2>/dev/null | head -1 | sed 's/^/bench /')"

if [ ! -x env/bin/python ]; then
	step "Creating the Python environment env/"
	"$PY" -m venv env
fi
# Frappe v15 still imports pkg_resources, which setuptools 81 dropped.
env/bin/pip install -q --upgrade pip wheel "setuptools<81"

# ---------------------------------------------------------------- Frappe
if [ ! -d apps/frappe/.git ]; then
	step "Getting Frappe $FRAPPE_BRANCH from $FRAPPE_SOURCE"
	src=$FRAPPE_SOURCE
	[ -e "$src" ] && src="file://$src"
	rm -rf apps/frappe
	git clone -q --depth 1 --single-branch --branch "$FRAPPE_BRANCH" "$src" apps/frappe ||
		die "could not get Frappe from $FRAPPE_SOURCE. On a machine without internet, pass --frappe-source /path/to/a/frappe/clone (with a $FRAPPE_BRANCH branch)."
fi
info "Frappe $(sed -n 's/^__version__ = "\(.*\)"/\1/p' apps/frappe/frappe/__init__.py)"

step "Installing Python packages (frappe, tolink)"
env/bin/pip install -q -e apps/frappe -e "apps/tolink[dev]" "setuptools<81"
env/bin/python -c 'import pkg_resources' 2>/dev/null || die "pkg_resources is missing in env/ (setuptools>=81?)"

step "Installing Node packages"
# Frappe depends on github:frappe/air-datepicker. Offline, yarn takes it from a local mirror
# made from a local clone (--air-datepicker-source); online, yarn downloads it.
YARN_MIRROR=$CACHE_DIR/yarn-offline-mirror
mkdir -p "$YARN_MIRROR"
dp_ref=$(sed -n 's#.*codeload.github.com/frappe/air-datepicker/tar.gz/\([0-9a-f]*\).*#\1#p' apps/frappe/yarn.lock | head -1)
if [ -n "$dp_ref" ] && [ ! -s "$YARN_MIRROR/$dp_ref" ] && [ -n "$AIR_DATEPICKER_SOURCE" ]; then
	git -C "$AIR_DATEPICKER_SOURCE" archive --format=tar.gz --prefix="air-datepicker-$dp_ref/" \
		-o "$YARN_MIRROR/$dp_ref" "$dp_ref" ||
		die "$AIR_DATEPICKER_SOURCE has no commit $dp_ref of air-datepicker"
fi
printf 'yarn-offline-mirror "%s"\nyarn-offline-mirror-pruning false\n' "$YARN_MIRROR" >apps/frappe/.yarnrc
(cd apps/frappe && yarn install --frozen-lockfile --non-interactive --silent --network-timeout 100000) ||
	die "yarn install failed in apps/frappe. Offline? pass --air-datepicker-source /path/to/air-datepicker/clone"

# ---------------------------------------------------------------- bench configuration
step "Writing bench configuration"
[ -f sites/apps.txt ] || printf 'frappe\ntolink\n' >sites/apps.txt
[ -f sites/common_site_config.json ] || echo '{}' >sites/common_site_config.json
env/bin/python - "$REDIS_HOST" "$REDIS_PORT" "$WEB_PORT" <<'PY'
import getpass, json, sys
host, port, web = sys.argv[1], sys.argv[2], int(sys.argv[3])
path = "sites/common_site_config.json"
conf = json.load(open(path))
conf.update({
	# bench refuses to run as root unless the config names the user it runs as
	"frappe_user": getpass.getuser(),
	"db_host": "127.0.0.1",
	"db_port": 3306,
	"redis_cache": f"redis://{host}:{port}/1",
	"redis_queue": f"redis://{host}:{port}/2",
	"redis_socketio": f"redis://{host}:{port}/2",
	"webserver_port": web,
	"socketio_port": conf.get("socketio_port", 9000),
	"file_watcher_port": conf.get("file_watcher_port", 6787),
	"background_workers": conf.get("background_workers", 1),
	"gunicorn_workers": conf.get("gunicorn_workers", 4),
	"live_reload": False,
	"restart_supervisor_on_update": False,
	"restart_systemd_on_update": False,
	"serve_default_site": True,
	"shallow_clone": True,
})
conf.setdefault("bench_id", "tolink-" + __import__("hashlib").sha1(__import__("os").getcwd().encode()).hexdigest()[:8])
json.dump(conf, open(path, "w"), indent=1, sort_keys=True)
PY

step "Building assets"
stamp=sites/assets/.tolink-build-stamp
want=$(cd apps && {
	git -C frappe rev-parse HEAD
	for d in tolink/tolink/public tolink/tolink/locale; do
		[ -d "$d" ] && find "$d" -type f -printf '%P %s %T@\n'
	done | sort
} | sha1sum | cut -c1-40)
if [ ! -f sites/assets/assets.json ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
	bench build --force >logs/build.log 2>&1 || die "bench build failed, see logs/build.log"
	echo "$want" >"$stamp"
else
	info "assets are up to date"
fi

# ---------------------------------------------------------------- Administrator's password
# Demo and test sites: 'admin'. Production (not --test-site, no demo, not a demo site already):
# a random password kept outside the repository, shown once, when this run puts it in effect.
ADMIN_PASSWORD_FILE=$CONF_DIR/$SITE-administrator-password
PRODUCTION=0
if [ $DEMO = 0 ] && [ $TEST_SITE = 0 ] &&
	! grep -qs '"tolink_demo_site"' "sites/$SITE/site_config.json"; then
	PRODUCTION=1
fi
ADMIN_PASSWORD_SET=0 # this run gave Administrator the password of ADMIN_PASSWORD_FILE
if [ -n "${TOLINK_ADMIN_PASSWORD:-}" ]; then
	ADMIN_PASSWORD=$TOLINK_ADMIN_PASSWORD
	PRODUCTION=0
elif [ $PRODUCTION = 1 ]; then
	if [ ! -s "$ADMIN_PASSWORD_FILE" ]; then
		(umask 077 && "$PY" -c 'import secrets; print(secrets.token_urlsafe(18))' >"$ADMIN_PASSWORD_FILE")
	fi
	chmod 600 "$ADMIN_PASSWORD_FILE"
	ADMIN_PASSWORD=$(cat "$ADMIN_PASSWORD_FILE")
else
	ADMIN_PASSWORD=admin
fi

# ---------------------------------------------------------------- the site
new_site() {
	bench new-site "$SITE" --force --no-mariadb-socket \
		--db-root-username "$DB_ADMIN_USER" --db-root-password "$DB_ADMIN_PASSWORD" \
		--admin-password "$ADMIN_PASSWORD" --install-app tolink >logs/new-site.log 2>&1 ||
		die "bench new-site $SITE failed, see logs/new-site.log"
}
if [ $TEST_SITE = 1 ]; then
	step "Creating the test site $SITE (fresh database)"
	new_site
	bench --site "$SITE" set-config allow_tests true >/dev/null
	bench --site "$SITE" set-config --parse tolink_test_site 1 >/dev/null
	# the suite creates many users within a minute (Frappe throttles at 60)
	bench --site "$SITE" set-config --parse throttle_user_limit 100000 >/dev/null
	# emails are built and queued as in production but never leave: muted, and an SMTP server
	# nobody listens on (Frappe's own test records send welcome emails)
	bench --site "$SITE" set-config --parse mute_emails 1 >/dev/null
	bench --site "$SITE" set-config mail_server 127.0.0.1 >/dev/null
	bench --site "$SITE" set-config --parse mail_port 1 >/dev/null
	bench --site "$SITE" set-config auto_email_id noreply@tolink.invalid >/dev/null
elif [ ! -f "sites/$SITE/site_config.json" ]; then
	step "Creating the site $SITE"
	new_site
	if [ $PRODUCTION = 1 ]; then ADMIN_PASSWORD_SET=1; fi
else
	step "Migrating the site $SITE"
	bench --site "$SITE" migrate >logs/migrate.log 2>&1 || die "bench migrate failed, see logs/migrate.log"
	if [ $PRODUCTION = 1 ]; then
		# a production site still on Frappe's 'admin' gets the random password (read from the file,
		# never put on a command line); one whose password was changed keeps it
		case "$(bench --site "$SITE" tolink-admin-password "$ADMIN_PASSWORD_FILE")" in
		*unchanged*) info "Administrator has a password of its own: kept" ;;
		*changed*) ADMIN_PASSWORD_SET=1 ;;
		*) die "could not check Administrator's password of $SITE" ;;
		esac
	fi
fi

if [ $DEMO = 1 ]; then
	step "Loading the demo network"
	bench --site "$SITE" set-config --parse tolink_demo_site 1 >/dev/null
	bench --site "$SITE" tolink-demo
	bench --site "$SITE" enable-scheduler >/dev/null
	bench use "$SITE" >/dev/null
fi

step "Checking the site's health"
bench --site "$SITE" tolink-health --no-processes || die "the health check failed (see above)"

admin_login() {
	if [ $PRODUCTION = 0 ]; then
		echo "  Administrator / $ADMIN_PASSWORD"
	elif [ $ADMIN_PASSWORD_SET = 1 ]; then
		# the only time it is shown
		printf '  Administrator / \033[1m%s\033[0m\n' "$ADMIN_PASSWORD"
		echo "  (shown once; kept in $ADMIN_PASSWORD_FILE, readable by you only)"
	else
		echo "  Administrator: the password kept in $ADMIN_PASSWORD_FILE"
	fi
}
if [ $START = 1 ]; then
	cat <<EOF

  To Link is starting at  http://$SITE:$WEB_PORT  (also http://localhost:$WEB_PORT)
EOF
	admin_login
	[ $DEMO = 1 ] && bench --site "$SITE" tolink-demo --logins
	echo "  Ctrl-C stops all processes. Next time, 'scripts/setup.sh' again (it is quick) or 'bench start'."
	exec bench start
fi
echo
admin_login
echo "Setup complete. Start with: PATH=\"$BENCH_DIR/.bench-cli/bin:\$PATH\" bench start"
