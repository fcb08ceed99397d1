# Two commands do all the set-up on a fresh machine with Python 3.11 and make:
#   make run   - virtualenv, requirements, demo ledger if needed, dashboard on :8501
#   make test  - the same set-up plus test requirements, then the whole test suite
#   make serve - one process per core (REPLICAS=n) behind HAProxy on :8501 (deploy/serve.py)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
RUN_STAMP := $(VENV)/.run-installed
TEST_STAMP := $(VENV)/.test-installed
PORT ?= 8501

.PHONY: run serve haproxy test lint demo bench bench-concurrency bench-proxy bench-soak bench-ledger-import bench-warm clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(RUN_STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(TEST_STAMP): requirements.txt requirements-test.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $(RUN_STAMP) $@

run: $(RUN_STAMP)
	$(PY) -m data_access.demo --ensure-default
	@# The server warms its common views in the background (dashboard/warm.py); the kick
	@# opens it once as soon as it answers, so warming starts before the first leader arrives.
	($(PY) -m dashboard.warm --kick $(PORT) >/dev/null 2>&1 &)
	@# deploy/app.py: the entry script as an ASGI app, whose /screen redirects to /?screen=1
	DASHBOARD_WARM=$${DASHBOARD_WARM:-1} $(PY) -m streamlit run deploy/app.py --server.port $(PORT) --server.address 0.0.0.0

# Many users: N replicas behind Debian's HAProxy (installed here when missing, as root).
# REPLICAS (default: one per core), PORT, TLS_CERT, SCREEN_FRAME_ANCESTORS: see README.
serve: $(RUN_STAMP) haproxy
	$(PY) deploy/serve.py --port $(PORT) $(if $(REPLICAS),--replicas $(REPLICAS))

haproxy:
	@command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q || true; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends haproxy; \
	  else echo "haproxy is missing: sudo apt-get install haproxy" >&2; exit 1; fi; }

test: $(TEST_STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest

lint: $(TEST_STAMP)
	$(PY) -m ruff check . && $(PY) -m ruff format --check .

# Rebuild the embedded demo ledger from scratch.
demo: $(RUN_STAMP)
	rm -f data/demo.sqlite
	$(PY) -m data_access.demo --ensure-default

clean:
	rm -rf $(VENV) data artifacts .pytest_cache .ruff_cache

# The benchmark (docs/performance.md); PostgreSQL at TEST_POSTGRES_URL or the local server.
bench: $(TEST_STAMP)
	$(PY) -m bench.run --scales 1,5,20 --backends sqlite,postgresql

# 20 simultaneous sessions on one server (docs/performance.md, section Concurrency).
bench-concurrency: $(TEST_STAMP)
	$(PY) -m bench.concurrency --sessions 20
	$(PY) -m bench.concurrency --sessions 20 --url postgresql+psycopg://postgres@127.0.0.1:5432/bench_k20

# Ledger import on a 100,000-row workbook against openpyxl alone (docs/performance.md, Ledger import).
bench-ledger-import: $(TEST_STAMP)
	$(PY) -m bench.ledger_import --rows 100000

# The same, one process against REPLICAS (default 2) behind HAProxy, and the 1,000-run soak.
bench-proxy: $(TEST_STAMP) haproxy
	$(PY) -m bench.concurrency --proxy $${REPLICAS:-2}

bench-soak: $(TEST_STAMP)
	$(PY) -m bench.soak --runs 1000

# The first session after a start and after a load, warming off and on (docs/performance.md, Warming).
bench-warm: $(TEST_STAMP)
	$(PY) -m bench.warm
