"""Language models: one event-stream interface, local and OpenAI-compatible backends."""
