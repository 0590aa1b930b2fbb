"""The labels' one authority is the repository's own datasets/LABELS.md: every document cites it, none cites a
file outside the repository."""
import subprocess

from benchmark.labels import LABELS
from benchmark.paths import ROOT


def test_labels_md_is_in_the_repository_and_defines_every_label():
    text = (ROOT / "datasets" / "LABELS.md").read_text(encoding="utf-8")
    assert "authority" in text.splitlines()[0]
    assert all(f"`{label}`" in text for label in LABELS)


def test_no_tracked_file_cites_a_labels_file_outside_the_repository():
    outside = "shared/spec/" + "LABELS.md"  # spelled in two parts so this file does not cite it
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    citing = [name for name in tracked.split() if name.endswith((".md", ".py", ".yaml"))
              and outside in (ROOT / name).read_text(encoding="utf-8", errors="replace")]
    assert citing == []
    assert "datasets/LABELS.md" in (ROOT / "README.md").read_text(encoding="utf-8")
