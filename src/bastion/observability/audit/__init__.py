"""The tamper-evident audit log: a hash chain of security events with signed checkpoints.

``record``   the record shape and its hash; ``signing`` the Ed25519 checkpoint key;
``verify``   finds the first modified/deleted/inserted/reordered record;
``sqlite``/``postgres`` the sinks; ``writer`` batches events off the request path.
"""
