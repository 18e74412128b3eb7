"""Where the tests' files are, for test modules at any depth of ``tests/``."""

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
DATA = Path(__file__).resolve().parent / "data"
#: ../shared/data beside the repository; absent on a fresh clone (tests using it skip).
SHARED_DATA = REPO.parent / "shared" / "data"
