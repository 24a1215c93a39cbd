"""The command line: a thin layer over dalin.Workspace."""
