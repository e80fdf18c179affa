"""Stage 1-2: read the staff tables and source texts, check them, and hold them as one Atlas."""
