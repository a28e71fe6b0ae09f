"""The sessions report as files: CSV, Excel, and HTML with its charts (bot/reports/)."""
