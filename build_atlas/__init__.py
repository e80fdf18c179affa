"""Build the 呼包鄂乌 integration policy atlas: load → validate → maps → pages → MkDocs."""
