"""What every domain shares: errors, concurrency checks, pages that belong to no domain."""
