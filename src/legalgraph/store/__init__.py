"""The floor under the services: the :class:`Store` interface, its backends, and the bounded store.

``open_store(settings)`` is how everything gets the graph: the configured backend (embedded Oxigraph, rdflib in
memory, or a remote SPARQL server) wrapped in a :class:`BoundedStore`. See ``docs/ARCHITECTURE.md``.
"""

from .base import Answer, Capabilities, Store, data_version, graph_name, source_files
from .bounded import BoundedStore, open_backend, open_store

__all__ = ["Answer", "BoundedStore", "Capabilities", "Store", "data_version", "graph_name", "open_backend",
           "open_store", "source_files"]
