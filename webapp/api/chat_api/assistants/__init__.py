"""Custom assistants: a user's own system prompt and model settings, private or shared with
the whole organisation, stored beside the chat history (docs/assistants.md)."""
