"""RedReply: drafts replies and appeals for negative Xiaohongshu comments, for a person to review."""

__version__ = "0.1.0"
