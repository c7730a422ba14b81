"""Where the project's own data files live (the service runs from an editable install)."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
GRAPH_SCHEMA_DIR = PROJECT_ROOT / "graph_schema"
SEED_DATA_DIR = PROJECT_ROOT / "seed_data"
ONTOLOGY_DIR = PROJECT_ROOT / "ontology"
