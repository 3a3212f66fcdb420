"""Signing in: two-factor codes and their pages, and the sign-in log."""
