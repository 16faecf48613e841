"""Differential and property tests: reference == compiled, combining laws, render round trips."""
