"""Where the tests' files are, and what is in them, for test modules at any depth of ``tests/``."""

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
DATA = Path(__file__).resolve().parent / "data"
#: ../shared/data beside the repository; absent on a fresh clone (tests using it skip).
SHARED_DATA = REPO.parent / "shared" / "data"
#: The bundled seed documents, by their short number.
SEEDS = {
    "001": "001_4b5ed426e38bc02b",
    "002": "002_6b2a9478b39344eb",
    "003": "003_f5f628d705a61f74",
    "004": "004_3a7b404a9cc61d7a",
}


def all_artifacts(root: Path) -> dict[str, bytes]:
    """Every file a run under ``root`` wrote, except the HTML page (it says when it was
    built) and the caches that record file times (the artifact index, the corpus file hashes)."""
    files = {}
    for folder in ("output", "models"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and path.name not in ("report.html", ".lock", ".artifact-index", ".file-hashes"):
                files[str(path.relative_to(root))] = path.read_bytes()
    return files
