"""Migration knowledge that is not one API pair's: shared by every rule, both directions."""
