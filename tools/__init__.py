"""Developer tools: the mock OpenAI server and the local stack. Never deployed."""
