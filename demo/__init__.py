"""Demo data and the benchmark data set, loaded by management commands; runtime code never
imports this package."""
