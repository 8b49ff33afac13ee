#!/usr/bin/env python3
"""Builds examples/data/jargon/jargon.jsonl.gz, the small English corpus the quickstart trains on.

Source: the Jargon File 4.4.7 (public domain), as shipped by Debian's `jargon-text` package:

    apt-get download jargon-text && dpkg -x jargon-text_*.deb /tmp/jargon
    python3 examples/data/make-jargon-corpus.py /tmp/jargon/usr/share/doc/jargon-text/jargon.txt.gz

One JSON object per lexicon entry, {"text": "<term>: <definition>"}, with the File's {cross
reference} braces removed and its wrapped lines joined. Output is deterministic (no timestamps in
the gzip header), so rerunning the script reproduces the committed file byte for byte.
"""
import gzip
import io
import json
import re
import sys
from pathlib import Path

ENTRY = re.compile(r"^   :(?P<term>[^:]+(?::[^:\s][^:]*)*):\s*(?P<head>.*)$")


def entries(lines):
    """Yields (term, paragraphs) for each lexicon entry, in file order."""
    term, paragraphs, current = None, [], []
    for raw in lines:
        line = raw.rstrip("\n").replace("\u00a0", " ")
        match = ENTRY.match(line)
        # the lexicon ends where the appendices begin (a centred part heading)
        if match or line.strip().startswith("Part III."):
            if term:
                if current:
                    paragraphs.append(" ".join(current))
                yield term, paragraphs
            term, paragraphs, current = (match.group("term"), [], []) if match else (None, [], [])
            continue
        if term is None:
            continue
        text = line.strip()
        if not text:
            if current:
                paragraphs.append(" ".join(current))
                current = []
        elif not any(ch in text for ch in "┌┬┐├┼┤└┴┘│─"):
            current.append(text)
    if term:
        if current:
            paragraphs.append(" ".join(current))
        yield term, paragraphs


def clean(text):
    text = re.sub(r"\{([^{}]*)\}", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def main(source, target):
    with gzip.open(source, "rt", encoding="utf-8") as f:
        lines = f.readlines()
    start = next(i for i, l in enumerate(lines) if ENTRY.match(l))
    docs = []
    for term, paragraphs in entries(lines[start:]):
        body = clean(" ".join(paragraphs))
        if len(body) >= 40:
            docs.append({"text": f"{clean(term)}: {body}"})
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, filename="") as gz:
        for doc in docs:
            gz.write((json.dumps(doc, ensure_ascii=False) + "\n").encode("utf-8"))
    Path(target).write_bytes(buffer.getvalue())
    print(f"{len(docs)} entries, {sum(len(d['text']) for d in docs):,} characters -> {target}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1], Path(__file__).parent / "jargon" / "jargon.jsonl.gz")
