"""Policies pages, one module per area (policies.py, projects.py, documents.py,
recognitions.py); later areas (editor, calculator, scans) add their own modules."""
