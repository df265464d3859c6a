"""Routes grouped per area; each module has ``register(app, web)``."""
