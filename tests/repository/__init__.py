"""Checks on the repository as a whole: it is self-contained and its citations resolve."""
