"""Configuration: pydantic models (models.py), YAML loading with line numbers (load.py), compile.py."""
