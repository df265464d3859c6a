"""The domain: plain functions over the store, importable from a notebook."""
