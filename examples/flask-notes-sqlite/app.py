# STATEFUL: notes in a SQLite file under the app root. On this laptop every instance opens the same file,
# so the smoke test passes; on separate hosts each would have its own database.
import sqlite3
import sys

sys.path.insert(0, "..")
from notes_app import notes_app  # noqa: E402


def db():
    connection = sqlite3.connect("notes.db")
    connection.execute("create table if not exists notes (id text primary key, text text)")
    return connection


def save(note):
    with db() as connection:
        connection.execute("insert into notes values (?, ?)", (note["id"], note["text"]))


def load(note_id):
    row = db().execute("select id, text from notes where id = ?", (note_id,)).fetchone()
    return {"id": row[0], "text": row[1]} if row else None


app = notes_app(save=save, load=load)
