"""`dti`: the one command over the whole product (``commands.cli:main``)."""
