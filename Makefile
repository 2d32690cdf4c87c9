# Causeway. Two commands for a newcomer: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := build
NPM ?= npm
ARGS ?=
N ?= 20

SOURCES := $(shell find src bench -name '*.ts' -not -name '*.test.ts' 2>/dev/null)

.PHONY: deps debian-deps build run test typecheck lint format bench-api bench-tunnels clean

# npm packages, installed from the lock file when missing or out of date.
node_modules/.deps-ok: package.json package-lock.json
	@command -v node >/dev/null || { echo "causeway: Node.js 20 or newer is required" >&2; exit 1; }
	$(NPM) ci --no-audit --no-fund --loglevel=error
	@node -e "require('better-sqlite3')(':memory:').close()" 2>/dev/null || $(NPM) rebuild better-sqlite3 --loglevel=error
	@touch $@

# Debian packages (strongSwan, iproute2, ping, curl) when root and missing.
debian-deps:
	@scripts/install-debian-deps.sh

deps: node_modules/.deps-ok debian-deps

dist/.built: node_modules/.deps-ok $(SOURCES) tsconfig.json tsconfig.build.json
	npx tsc -p tsconfig.build.json
	@touch $@

build: dist/.built

# Runs the service on the embedded SQLite store (./var), with the lab data plane when run as root
# (network namespaces + strongSwan), else with none. Extra flags: make run ARGS='--port 9000'.
DATAPLANE ?= $(shell [ "$$(id -u)" = 0 ] && echo lab || echo none)
run: build debian-deps
	bin/causeway serve --dataplane $(DATAPLANE) $(ARGS)

typecheck: deps
	npx tsc -p tsconfig.json --noEmit

# typescript-eslint (type-checked rules, the layer-free part of the house rules) and Prettier; the whole tree must be clean.
lint: node_modules/.deps-ok
	npx eslint .
	npx prettier --check .

# Rewrites the tree to pass `make lint` where a tool can (then run `make typecheck`).
format: node_modules/.deps-ok
	-npx eslint . --fix
	npx prettier --write .

# Every test: lint, then unit, API, property-based, the guards (layer rule, route schemas), the seed examples
# (curl against a live server) and, as root, the lab end-to-end tests.
test: build typecheck lint debian-deps
	@scripts/install-debian-deps.sh --test
	@mkdir -p .tmp
	npx vitest run --reporter=default --reporter=json --outputFile.json=.tmp/vitest.json; status=$$?; \
	node scripts/test-summary.mjs .tmp/vitest.json; exit $$status

bench-api: build
	node --enable-source-maps dist/bench/api/main.js

# Tunnel bring-up through the API against hand-written swanctl (the floor), as root: make bench-tunnels N=20
bench-tunnels: build debian-deps
	node --enable-source-maps dist/bench/tunnels/main.js $(N)

clean:
	rm -rf dist .tmp
