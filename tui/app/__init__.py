"""The app layer: everything here may import Textual; nothing in the model layer does."""

from .timeline_app import TimelineApp

__all__ = ["TimelineApp"]
