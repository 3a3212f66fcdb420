"""The staff pages under /staff/: an agency's people write, review and publish its report here."""
