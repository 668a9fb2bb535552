"""Offline build and measurement scripts, run by maintainers; the app never imports them.

Each runs as `python -m tools.<name>` from the project's virtualenv:

- `build_seed_data` and `build_seed_articles`: the demo content in `forum/seed/data/`;
- `build_drug_data` (with `drug_dictionary`, `drug_interactions`): the drug directory in
  `forum/drugs/data/`;
- `build_bench_data`: what `make bench` and `make search-eval` read, in `bench/data/`;
- `bench_drugs`: the drug directory's import, autocomplete and interaction-check timings.
"""
