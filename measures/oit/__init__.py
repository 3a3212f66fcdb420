"""OIT items of each assessment year and the evidence agencies give for them and for results."""
