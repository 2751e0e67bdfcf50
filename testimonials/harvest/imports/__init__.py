"""Review imports: CSV, JSON, JSON Lines and Excel files, mapped, de-duplicated, reported."""
