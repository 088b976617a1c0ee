# STATEFUL: notes in a module-level dict, one per worker process: another instance has never heard of them.
import sys

sys.path.insert(0, "..")
from notes_app import notes_app  # noqa: E402

NOTES = {}
app = notes_app(save=lambda note: NOTES.__setitem__(note["id"], note), load=NOTES.get)
