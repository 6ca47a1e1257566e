# Two commands: `make run` opens the TUI, `make test` runs every check.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test demo lint clean

run: $(VENV)/.installed
	@bash .ci/system-packages --optional
	@echo "Avvio di Acquisto sulla cartella dati $${ACQUISTO_DATA:-./data} (make demo carica i dati di esempio)"
	$(BIN)/acquisto

demo: $(VENV)/.installed
	$(BIN)/acquisto demo

test: $(VENV)/.installed-dev
	bash .ci/system-packages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest -q

$(BIN)/python:
	@$(PYTHON) -c 'import ensurepip' 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -q && apt-get install -y -q python3-venv; \
	  else \
	    echo "Manca il modulo venv di Python: sudo apt-get install python3-venv"; exit 1; \
	  fi; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml
	@echo "Installazione di Acquisto e delle sue librerie in $(VENV) (un minuto circa)…"
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	@echo "Installazione di Acquisto con gli strumenti di sviluppo in $(VENV)…"
	$(BIN)/pip install -q -e '.[dev]'
	touch $(VENV)/.installed $@

clean:
	rm -rf $(VENV)
