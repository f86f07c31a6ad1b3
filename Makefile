# Bastion: `make run` starts the demo, `make test` runs every test. Both set up .venv on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-unit lint bench bench-waf bench-audit bench-scan system-deps services clean native

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $(STAMP)

# The request hot path compiled with mypyc (bastion.native, docs/decisions/0014): rebuilt when a listed source changed;
# a failed build leaves only the sources, which run slower but the same (the leading '-' keeps going).
native: $(STAMP)
	-$(BIN)/python -m bastion.native_build

run: $(STAMP) native
	$(BIN)/bastion demo

system-deps:
	bash scripts/system-deps.sh

services:
	bash scripts/services.sh

test: $(STAMP) native system-deps services
	$(BIN)/pytest -q -p no:randomly tests

test-unit: $(STAMP) native
	$(BIN)/pytest -q tests/unit tests/property

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

bench: $(STAMP) native system-deps
	$(BIN)/python -m bench.gateway

bench-waf: $(STAMP) native system-deps
	$(BIN)/python -m bench.waf
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh9/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh10/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh11/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh12/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh13/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh14/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh15/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh16/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh17/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh18/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh19/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh20/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh21/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh22/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh23/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh24/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh25/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh26/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh27/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh28/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh29/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh30/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh31/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh32/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh33/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh34/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh35/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh36/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh37/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh38/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh39/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh40/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh41/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh42/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh43/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh44/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh45/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh46/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh47/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh48/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh49/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh50/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh51/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh52/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh53/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh54/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh55/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh56/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh57/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh58/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh59/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh60/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh61/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh62/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh63/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh64/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh65/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh66/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh67/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh68/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh69/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh70/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh71/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh72/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh73/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh74/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh75/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh76/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh77/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh78/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh79/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh80/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh81/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh82/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh83/corpus.jsonl
	$(BIN)/python -m bench.waf --corpus bench/waf/fresh84/corpus.jsonl

bench-audit: $(STAMP)
	$(BIN)/python -m bench.audit

bench-scan: $(STAMP)
	$(BIN)/python -m bench.scan

clean:
	rm -rf $(VENV) .bastion build *.egg-info src/build src/*__mypyc* src/bastion/native-build.json
	find src -name '*.so' -delete
