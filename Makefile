# Two commands on a fresh machine: `make run` and `make test`.
# Each creates the virtual environment and installs the project on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck bench clean messages

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/coalition-bot run

# Two workers: much of the suite waits (subprocesses, the platforms' fakes, PostgreSQL).
# The second uses a PostgreSQL database of its own (tests/databases.py says why).
test: $(STAMP) lint typecheck
	$(BIN)/python -m pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m bench all

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .mypy_cache .ruff_cache

# After changing any sentence the bot says: refresh the catalogs, then translate.
messages: $(STAMP)
	$(BIN)/python -m bot.locale.extract
