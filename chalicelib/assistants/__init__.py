"""AI assistants: the MCP tools (`tools.py`, over the routes' views) and the SDK's server for them (`server.py`)."""
