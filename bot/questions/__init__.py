"""The office-hours question queue."""
