"""A fiscal year's report before its review: opening it, its deadline and the divisions'
hand-ins."""
