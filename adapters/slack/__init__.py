"""The Slack adapter: translates Slack events to the core and renders its replies."""
