# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
ADDR ?= 127.0.0.1:8000

.PHONY: demo test install lint messages benchmarks clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	$(PY) scripts/compile_messages.py
	touch $@

install: $(VENV)/.installed

demo: install
	$(VENV)/bin/alianza demo --addr $(ADDR)

test: install
	bash scripts/test.sh

lint: install
	$(PY) -m ruff check .

# Maintainers: refresh the Spanish catalogue after changing strings (needs GNU gettext).
messages: install
	cd src/alianza && ../../$(VENV)/bin/alianza makemessages -l es --no-location --no-obsolete
	$(PY) scripts/compile_messages.py

benchmarks: install
	$(PY) benchmarks/access_filter.py
	$(PY) benchmarks/audit_verify.py

clean:
	rm -rf $(VENV) var artifacts
