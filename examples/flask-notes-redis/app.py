# STATELESS: notes in Redis (started by the Procfile), so every instance reads the same ones.
import json
import os
import sys

import redis

sys.path.insert(0, "..")
from notes_app import notes_app  # noqa: E402

store = redis.Redis(port=int(os.environ["AMNESIA_PORT_REDIS"]))


def load(note_id):
    raw = store.get(f"note:{note_id}")
    return json.loads(raw) if raw else None


app = notes_app(save=lambda note: store.set(f"note:{note['id']}", json.dumps(note)), load=load)
