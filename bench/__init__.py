"""The performance benchmark: `make bench` (see bench/README.md)."""

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = BASE_DIR / "bench" / "results"
