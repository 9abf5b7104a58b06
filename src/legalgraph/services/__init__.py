"""Services: one module per feature, and the only place that holds SPARQL (as ``queries/**/*.rq`` files).

Front-ends (``cli.py``, ``api/routes/``) parse input, call a service and format its answer; every surface asks
the same service the same question, so it gets the same answer.
"""
