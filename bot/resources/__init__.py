"""The resource library: members suggest, coordinators review, everyone searches."""
