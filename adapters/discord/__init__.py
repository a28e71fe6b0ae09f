"""The Discord adapter: translates Discord events to the core and renders its replies."""
