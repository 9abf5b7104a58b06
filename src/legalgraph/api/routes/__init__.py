"""The web routes, one module per group of pages; each parses input, calls a service and formats its answer."""
