"""The KJV corpus: dumps the King James Bible from Debian's bible-kjv-text package and splits it.

Build-time only. Output (in --out, default models/training/build/corpus):
  train.txt     one verse per line, chapters not held out
  heldout.txt   one verse per line, every HELDOUT_EVERY-th chapter (counted over the whole Bible)
  PROVENANCE    where the text came from

The split is by whole chapters so that no verse of a held-out chapter's context leaks into training;
it depends only on the package's text, so it is the same on every machine.
"""
import argparse
import hashlib
import os
import re
import subprocess

BIBLE = "/usr/bin/bible"
ALL_VERSES = "Gen1:1-Rev22:21"
HELDOUT_EVERY = 20          # chapters 20, 40, 60, ... of the 1189 (59 chapters, about 5 %)
HEADING = re.compile(r"^\S.* \d+$")        # "Genesis 1"
VERSE = re.compile(r"^  (\d+) (.*)$")      # "  1 In the beginning ..."


def chapters():
    """Yields (heading, [verse text]) for every chapter, in Bible order."""
    out = subprocess.run([BIBLE, "-l0", ALL_VERSES], check=True, capture_output=True).stdout
    heading, verses = None, []
    for line in out.decode("utf-8").split("\n"):
        if HEADING.match(line):
            if heading is not None:
                yield heading, verses
            heading, verses = line, []
        elif (m := VERSE.match(line)):
            verses.append(m.group(2).strip())
        elif line.strip():
            raise ValueError("unexpected line from bible: %r" % line)
    if heading is not None:
        yield heading, verses


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "build", "corpus"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    train, heldout, n_chapters = [], [], 0
    for heading, verses in chapters():
        n_chapters += 1
        (heldout if n_chapters % HELDOUT_EVERY == 0 else train).extend(verses)
    for name, lines in (("train.txt", train), ("heldout.txt", heldout)):
        with open(os.path.join(args.out, name), "w", encoding="utf-8", newline="\n") as f:
            f.write("\n".join(lines) + "\n")
    digest = hashlib.sha256(open("/usr/lib/bible.data", "rb").read()).hexdigest()
    with open(os.path.join(args.out, "PROVENANCE"), "w") as f:
        f.write("King James Version (1611), public domain; Debian package bible-kjv-text, %s %s\n"
                "sha256(/usr/lib/bible.data) = %s\n" % (BIBLE, ALL_VERSES, digest))
    print("chapters %d, train verses %d, held-out verses %d (%d chapters)"
          % (n_chapters, len(train), len(heldout), n_chapters // HELDOUT_EVERY))


if __name__ == "__main__":
    main()
