"""Generated documents with ground truth (receipt images, PDF invoices, mailboxes) and their scorer.

Everything is deterministic by seed. The CLI is ``tools/corpus/generate.py``; the scorer is
``tools/corpus/score.py``; docs/contributing/corpus.md describes both.
"""
