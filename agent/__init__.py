"""RedReply: drafts replies and appeals for negative Xiaohongshu comments, for a person to review."""

import os

# Before numpy loads: on 2-core machines OpenBLAS threads fight the embedding threads and make
# each query several times slower (measured by bench/evals.py).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
