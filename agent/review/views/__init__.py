"""The view models of the desk's pages, computed from the queue: times, the queue table, one item, the
insight figures, repeat authors and downloads."""
