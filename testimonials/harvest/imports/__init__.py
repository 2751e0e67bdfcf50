"""Review imports: CSV, JSON and JSON Lines files, mapped, de-duplicated and reported."""
