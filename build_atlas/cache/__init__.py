"""The one artifact cache and the process pool that fills it."""
