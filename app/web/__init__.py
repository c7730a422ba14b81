"""The web explorer: HTML pages over the same use cases as the API (mounted by app.main)."""
