"""Staff and developer tools beside the build: the draft command, the bench, the boundaries."""
