"""The archive's returned files: filing, the intake of scans, what a file carries, the
watcher, the review of a returned form."""
