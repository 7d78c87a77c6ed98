"""Published indicator sets (vN.json). A package only so that packaging ships the JSON files."""
