"""What the tests share: strategies, generated files, app and terminal helpers."""
