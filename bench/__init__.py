"""`make bench`: the forum under load, measured against the framework's own ceiling.

Modules: inputs (the data files in bench/data), vocabulary (real text), dataset (seeded
generator) and loader (bulk inserts), statements (SQL per page), search_latency (engines
outside HTTP), load (gunicorn and wrk), report (the table) and run (the whole benchmark,
`python -m bench.run`); search_eval and search_relevance are `make search-eval`.
"""
