"""Known customers: a workspace's customer e-mails, kept as keyed hashes, that verify feedback."""
