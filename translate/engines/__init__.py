"""Translation engines: the `Engine` interface (base), the neural and rule-based engines, and the registry.

Importing this package loads nothing heavy; each engine imports its runtime when it is built.
"""
