"""legalgraph: the OSCE/UNFPA Central Asia perpetrator-programme report as a queryable knowledge graph."""

__version__ = "0.1.0"
