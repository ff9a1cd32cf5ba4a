"""Generate the jieba user dictionary from the knowledge base's domain terms."""

from __future__ import annotations

from pathlib import Path

from bot.kb.loader import load_synonyms, load_terms

DICTIONARY_FILE = "kefu_terms.txt"
TERM_FREQUENCY = 2000


def collect_terms(kb_dir: Path) -> list[str]:
    """Terms from `terms.txt` and every canonical term and Chinese variant of `synonyms.yml`."""
    terms = load_terms(kb_dir / "terms.txt")
    synonyms_path = kb_dir / "synonyms.yml"
    if synonyms_path.exists():
        for variant, canonical in load_synonyms(synonyms_path).items():
            terms.extend([canonical, variant])
    return sorted({term for term in terms if len(term) > 1 and " " not in term})


def write_dictionary(kb_dir: Path, out_dir: Path) -> Path:
    """Write `out_dir/kefu_terms.txt` (jieba's `word freq` format) and return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / DICTIONARY_FILE
    lines = [f"{term} {TERM_FREQUENCY}" for term in collect_terms(kb_dir)]
    content = "\n".join(lines) + "\n"
    if not path.exists() or path.read_text(encoding="utf-8") != content:
        path.write_text(content, encoding="utf-8")
    return path
