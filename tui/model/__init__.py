"""The model: dates, events, the filter language, and reading event files into a
Timeline. Never imports Textual, Rich or the other layers (see pyproject.toml's
import-linter contracts)."""
