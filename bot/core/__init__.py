"""The shared kernel: settings, paths, clock, database sessions, text normalisation, personal-data patterns
and masking, line-numbered YAML. It imports no other `bot` package; every other package may import it."""
