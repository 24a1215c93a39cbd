"""`dalin serve`: the REST API, the OpenAI-compatible API and the web UI over Workspaces."""
