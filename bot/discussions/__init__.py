"""Topic discussions in native threads, followers batched notices, and the weekly digest."""
