# The routes the Flask notes examples share: POST /notes answers the new note's id in a JSON body,
# GET /notes/<id> reads it back. Only where the notes live differs.
import uuid

from flask import Flask, jsonify, request


def notes_app(save, load):
    app = Flask(__name__)

    @app.post("/notes")
    def create():
        note = {"id": uuid.uuid4().hex, "text": (request.get_json(silent=True) or {}).get("text", "")}
        save(note)
        return jsonify(note), 201

    @app.get("/notes/<note_id>")
    def read(note_id):
        note = load(note_id)
        return (jsonify(note), 200) if note else (jsonify(error="no such note"), 404)

    return app
