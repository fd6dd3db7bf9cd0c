"""`translate run --ray`: the same pipeline and writers, spread over a Ray cluster.

Nothing here is imported unless `--ray` is given, and only this package imports `ray`
(the optional extra `pip install .[ray]`). Modules:

* `cluster`  — connect to (or start) Ray, quieten Ray Data, shut down.
* `engines`  — which engine to build, decided on the driver, built once in each actor.
* `work`     — the per-document steps run on workers: read + segment, translate a batch, write.
* `files`    — a directory or list of text files → the usual per-document outputs (resumable).
* `corpus`   — a JSONL/Parquet corpus of documents → a Parquet/JSONL dataset of aligned segments.
* `bar`      — the one progress bar the driver shows for the whole collection.
"""
