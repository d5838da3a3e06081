"""A build from start to finish: the public API, the driver that runs the stages, what it reads, the
dependency graph, parallel work, the output folder and writing it, the persistent cache and the lock."""
