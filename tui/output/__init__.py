"""Text output of the model: the plain-text timeline, Markdown, exports, stats. No Textual."""
