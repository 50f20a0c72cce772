"""`make bench`: cold start and warm overhead of the handlers beside the usual alternatives."""
