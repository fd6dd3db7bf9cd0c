"""Translation engines: the `Engine` interface (base), the neural and rule-based engines, the registry,
and `CachedEngine`, the engine-output cache as a wrapper around any engine.

Importing this package loads nothing heavy; each engine imports its runtime when it is built.
"""
