"""The demo data build (`python -m tools.build_seed_data DATA_DIR`), one module per step.

topics (the demo's health topics), messages (MeQSum privacy filters), routing (keywords to
topics), focus (MedQuAD records for a question), casing (MedQuAD questions as titles),
reference (the reference set), attribution and build (the files and the command).
"""
