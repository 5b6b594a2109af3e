# The SPA: npm dependencies, production build, unit tests, and the browser for end-to-end tests.
FRONTEND_STAMP := frontend/node_modules/.installed

$(FRONTEND_STAMP): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

.PHONY: web-build web-check test-frontend browser

web-build: $(FRONTEND_STAMP)
	cd frontend && npm run build

# Part of `make check`: ESLint (hooks, import boundaries), the type check, and the generated API types
# (src/lib/api/schema.ts) against what the backend models produce now. That last one needs the venv.
web-check: $(FRONTEND_STAMP) $(STAMP)
	cd frontend && npm run --silent lint && npm run --silent typecheck && PYTHON=$(CURDIR)/$(PY) npm run --silent check:api

test-frontend: $(FRONTEND_STAMP)
	cd frontend && npm test

# Debian's Chromium drives the end-to-end tests (Playwright cannot download its own browser here).
# As root (CI) apt-get runs directly; otherwise through sudo when there is one.
SUDO := $(shell [ "$$(id -u)" = 0 ] || command -v sudo)
browser:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
