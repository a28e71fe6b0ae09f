"""Session evaluations: a short form sent after each occurrence of a meeting."""
