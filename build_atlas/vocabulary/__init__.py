"""The atlas's vocabulary: the terms and tables (schema), the style every renderer shares, and every address of the
site (routes)."""
