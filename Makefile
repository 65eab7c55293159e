# Shortcuts for the two commands of the README.
.PHONY: run test bench
run:
	bash scripts/run_app.sh
test:
	bash scripts/run_tests.sh
bench:
	.venv/bin/python scripts/benchmark.py --quick
