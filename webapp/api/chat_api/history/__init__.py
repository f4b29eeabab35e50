"""Conversation history: the store interface, its two backends, and their shared rules."""
