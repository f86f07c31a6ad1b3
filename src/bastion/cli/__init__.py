"""The ``bastion`` command line (typer). One module per command group; each exposes ``register(app)``."""
