"""Units of the document core: the wire codec, minimal edits, limits, awareness and the store."""
import random
from io import StringIO
from unittest.mock import patch

from django.conf import settings
from django.core.management import call_command
from django.test import SimpleTestCase, TestCase
from pycrdt import Array, Doc, Map, Text, merge_updates

from sessions_app.models import InterviewSession, LogBatch
from sessions_app.realtime import gate as gate_module
from sessions_app.realtime import log_batch, protocol, store, update_content
from sessions_app.realtime.awareness import AwarenessStore
from sessions_app.realtime.changes import SERVER, SERVER_AUTHOR, Author, ChangeOrigin, Identity, LogEntry, Refused
from sessions_app.realtime.document import PadDocument, changed_span
from sessions_app.realtime.gate import Gate
from sessions_app.realtime.kinds import PAD
from sessions_app.realtime.protocol import AwarenessEntry, MessageType, ProtocolError, SyncType
from sessions_app.realtime.update_content import read_contents


class ProtocolTests(SimpleTestCase):
    def test_round_trips(self):
        for frame, kind, sub in [
            (protocol.sync_step1(b"\x01\x02"), MessageType.SYNC, SyncType.STEP1),
            (protocol.sync_step2(b"x" * 300), MessageType.SYNC, SyncType.STEP2),
            (protocol.sync_update(b""), MessageType.SYNC, SyncType.UPDATE),
            (protocol.awareness(b"abc"), MessageType.AWARENESS, None),
            (protocol.query_awareness(), MessageType.QUERY_AWARENESS, None),
        ]:
            message = protocol.decode(frame)
            self.assertEqual((message.type, message.sync_type), (kind, sub))

    def test_matches_pycrdt_encoding(self):
        doc = Doc()
        doc.get("code", type=Text).insert(0, "hi")
        import pycrdt

        self.assertEqual(pycrdt.create_sync_message(doc), protocol.sync_step1(doc.get_state()))

    def test_malformed_frames_raise_protocol_error(self):
        for frame in [b"", b"\x80", b"\x00", b"\x00\x07\x00", b"\x00\x00\x05ab", b"\x01\x02a",
                      b"\x02\x00", b"\x03extra", protocol.sync_update(b"ok") + b"!"]:
            with self.assertRaises(ProtocolError, msg=frame):
                protocol.decode(frame)

    def test_awareness_codec(self):
        entries = [AwarenessEntry(1, 3, {"user": {"name": "Ada"}}), AwarenessEntry(2**31, 1, None)]
        self.assertEqual(protocol.decode_awareness(protocol.encode_awareness(entries)), entries)
        for bad in [b"\x01\x01\x01\x03abc", b"\x01\x01\x01\x01" + b"[", b"\x01\x01\x01\x01\x37", b"\x02\x01"]:
            with self.assertRaises(ProtocolError):
                protocol.decode_awareness(bad)


class DocumentTests(SimpleTestCase):
    def test_changed_span_is_minimal_and_correct(self):
        rng = random.Random(5)
        for _ in range(3000):
            old = "".join(rng.choice("ab\né") for _ in range(rng.randint(0, 10)))
            new = "".join(rng.choice("ab\né") for _ in range(rng.randint(0, 10)))
            start, old_end, new_end = changed_span(old, new)
            self.assertEqual(old[:start] + new[start:new_end] + old[old_end:], new)
            self.assertEqual(old[:start], new[:start])

    def test_replace_code_is_a_small_edit_and_handles_unicode(self):
        document = PadDocument()
        document.replace_code("héllo wörld 😀\n" * 50)
        before = document.state_vector()
        document.replace_code("héllo wörld 😀\n" * 25 + "X" + "héllo wörld 😀\n" * 25)
        self.assertEqual(document.code.count("X"), 1)
        # Only one character was inserted: the update is tiny, not the whole text.
        self.assertLess(len(document.diff(before)), 40)

    def test_a_bad_update_leaves_the_document_unchanged(self):
        document = PadDocument()
        document.replace_code("a" * 90)
        with self.assertRaises(ValueError):
            document.apply_update(b"\x05garbage")
        self.assertEqual(document.code, "a" * 90)

    def test_code_and_language_are_read_as_the_wrappers_read_them(self):
        document = PadDocument()
        self.assertEqual(document.code_and_language(), ("", None))  # no language set
        document.replace_code("print('é😀')\n")
        document.set_language("python")
        self.assertEqual(document.code_and_language(), ("print('é😀')\n", "python"))
        self.assertEqual(document.code_and_language(), (document.code, document.language))
        with document.doc.transaction():  # inside a transaction of pycrdt's own
            document.code_text.insert(0, "#")
            self.assertEqual(document.code_and_language(), ("#print('é😀')\n", "python"))
        document.set_meta(language=None)
        self.assertEqual(document.code_and_language()[1], None)

    def test_concurrent_replacements_merge(self):
        # Two whole-text writes based on the same text both survive as edits.
        base = PadDocument()
        base.replace_code("middle")
        left, right = PadDocument(), PadDocument()
        left.apply_update(base.diff())
        right.apply_update(base.diff())
        left.replace_code("start middle")
        right.replace_code("middle end")
        left.apply_update(right.diff())
        right.apply_update(left.diff())
        self.assertEqual(left.code, "start middle end")
        self.assertEqual(right.code, left.code)


class UpdateContentTests(SimpleTestCase):
    """The gate reads what an update inserts off its bytes: it must agree with pycrdt's encoding."""

    def updates(self, change) -> list[bytes]:
        doc = Doc()
        updates = []
        subscription = doc.observe(lambda event: updates.append(event.update))
        with doc.transaction():
            change(doc)
        doc.unobserve(subscription)
        return updates

    def kinds(self, change) -> tuple[set, bool]:
        contents = read_contents(b"".join(self.updates(change)[:1]))
        return contents.kinds, contents.nul

    def test_plain_text_and_json_values(self):
        def plain(doc):
            doc.get("code", type=Text).insert(0, "héllo 😀")
            doc.get("meta", type=Map)["language"] = "go"
            doc.get("runs", type=Array).append({"a": [1, 2.5, None, True, {"b": "c" * 300}], "n": -70_000})

        kinds, nul = self.kinds(plain)
        self.assertEqual(kinds, {update_content.STRING, update_content.ANY})
        self.assertFalse(nul)

    def test_rich_content_and_nul(self):
        cases = [
            (lambda doc: doc.get("code", type=Text).insert(0, "bold", attrs={"bold": True}), update_content.FORMAT),
            (lambda doc: doc.get("code", type=Text).insert_embed(0, {"image": "x"}), update_content.EMBED),
            (lambda doc: doc.get("runs", type=Array).append(Map({"nested": 1})), update_content.TYPE),
        ]
        for change, kind in cases:
            kinds, _ = self.kinds(change)
            self.assertIn(kind, kinds)
        self.assertTrue(self.kinds(lambda doc: doc.get("code", type=Text).insert(0, "a\x00b"))[1])

    def test_random_edits_parse_and_garbage_does_not(self):
        rng = random.Random(7)
        doc = Doc()
        text, runs = doc.get("code", type=Text), doc.get("runs", type=Array)
        updates = []
        doc.observe(lambda event: updates.append(event.update))
        for n in range(500):
            if rng.random() < 0.7 or not len(text):
                text.insert(rng.randint(0, len(text)), rng.choice(["a", "é", "😀", "line\n"]))
            elif rng.random() < 0.5:
                del text[0:1]
            else:
                runs.append({"id": f"r{n}", "out": "x" * rng.randint(0, 40)})
        for update in updates + [doc.get_update()]:
            self.assertTrue(read_contents(update).plain)
        for garbage in (b"\x01\x01\x05\x00\x1f", b"\x01\x05", b"\x01\x01\x05\x00\x08\x01\x6f"):
            with self.assertRaises(ProtocolError):
                read_contents(garbage)

    def test_the_keystroke_shortcut_reads_what_the_full_reader_reads(self):
        """Every update of several typists (inserts at the start, the end and between, NULs,
        long client ids, embeds, deletions) reads the same with and without the shortcut."""
        rng = random.Random(11)
        docs = [Doc(client_id=rng.choice([1, 300, 2**31 + 5, 2**53 - 3]) + n) for n in range(3)]
        updates = []
        for doc in docs:
            doc.observe(lambda event, doc=doc: updates.append((doc, event.update)))
        shortcut = 0
        for _ in range(600):
            doc = rng.choice(docs)
            text = doc.get("code", type=Text)
            roll = rng.random()
            if roll < 0.75 or not len(text):
                inserted = rng.choice(["a", "é", "😀", "x\x00y", "line\n", "ab" * 80, "z" * 70 + "\x00"])
                text.insert(rng.randint(0, len(text)), inserted)
            elif roll < 0.9:
                del text[0:1]
            else:
                text.insert_embed(rng.randint(0, len(text)), {"image": "x"})
            author, update = updates[-1]
            for other in docs:
                if other is not author:
                    other.apply_update(update)

        def is_keystroke(update):
            return update_content._at_keystroke_string(update_content.Reader(update))

        for _, update in updates:
            fast, full = read_contents(update), update_content.read_all_contents(update)
            self.assertEqual((fast.kinds, fast.nul), (full.kinds, full.nul))
            shortcut += is_keystroke(update)
        self.assertGreater(shortcut, 300)  # the shortcut was taken, and for both kinds of answer
        nul_keystrokes = [u for _, u in updates if is_keystroke(u) and read_contents(u).nul]
        self.assertTrue(any(len(u) < 40 for u in nul_keystrokes))  # "x\0y": read in the loop
        self.assertTrue(any(len(u) > 80 for u in nul_keystrokes))  # 70 z's and a NUL: by `find`
        for garbage in (b"\x01\x01\x05\x00\x84\x05\x00\x05", b"\x01\x01\x05\x00\xc4\x05\x00"):
            with self.assertRaises(ProtocolError):
                read_contents(garbage)


class GateTests(SimpleTestCase):
    """What the gate passes on to the log and the others: what its document integrated, pending parts never;
    and a refused update taken back."""

    def setUp(self):
        self.gate = Gate(PAD.document(), PAD.checks(), settings.PAD["MAX_DOCUMENT_BYTES"])
        self.addCleanup(self.gate.close)
        self.origin = ChangeOrigin("connection", Identity(), object())
        self.passed_on = PAD.document()  # what a peer applying every integrated update would hold

    @property
    def document(self):
        return self.gate.document

    def admit(self, update):
        integrated = self.gate.admit(update, self.origin)
        if integrated:
            self.passed_on.apply_update(integrated)
        return integrated

    def test_typed_updates_and_deletions_reach_the_document_and_duplicates_do_not(self):
        client = Doc()
        code = client.get("code", type=Text)
        updates = []
        client.observe(lambda event: updates.append(event.update))
        for text in ("def f():", " return 'é😀'", "\n# ✓ done"):  # UTF-16 lengths differ from UTF-8's
            code += text
        code.insert(0, "#")  # placed before the first item: a right origin
        for update in updates:
            self.assertIsNotNone(self.admit(update))
        del code[0:4]
        self.assertIsNotNone(self.admit(updates[-1]))
        self.assertEqual(self.document.code, str(code))
        self.assertIsNone(self.admit(updates[0]), "a duplicate integrates nothing")

    def test_an_update_after_a_missing_one_waits_for_it(self):
        client = Doc()
        code = client.get("code", type=Text)
        updates = []
        client.observe(lambda event: updates.append(event.update))
        code += "ab"
        code += "cd"
        self.assertIsNone(self.admit(updates[1]), "its items come after ones the document lacks")
        self.assertEqual((self.document.code, self.passed_on.code), ("", ""))
        integrated = self.admit(updates[0])
        self.assertEqual((self.document.code, self.passed_on.code), ("abcd", "abcd"))
        self.assertNotEqual(integrated, updates[0])  # both, as the copy integrated them

    def test_a_refused_update_is_taken_back(self):
        client = Doc()
        client.get("code", type=Text).insert(0, "ok")
        state = client.get_update()
        self.admit(state)
        other = Doc()
        other.apply_update(state)
        updates = []
        other.observe(lambda event: updates.append(event.update))
        other.get("code", type=Text).insert(2, "x" * (settings.PAD["MAX_CODE_BYTES"] + 1))
        with self.assertRaises(Refused):
            self.admit(updates[0])
        self.assertEqual((self.document.code, self.passed_on.code), ("ok", "ok"))
        self.assertEqual(self.document.diff(), self.passed_on.diff())


    def test_refusals_among_many_keystrokes_are_taken_back_exactly(self):
        """Across checkpoints: every refused update (too large, rich, after the session ended) leaves
        the document exactly as the admitted ones made it."""
        rng = random.Random(5)
        client = Doc()
        code = client.get("code", type=Text)
        refusals = 0
        for _ in range(600):
            before = client.get_state()
            roll = rng.random()
            if roll < 0.04:
                code.insert(0, "x" * (settings.PAD["MAX_CODE_BYTES"] + 1))
            elif roll < 0.08:
                code.insert_embed(0, {"image": "x"})
            else:
                text = str(code)  # (pycrdt's offsets are UTF-8 bytes: never inside a character)
                code.insert(len(text[:rng.randint(0, len(text))].encode()), rng.choice(["a", "é", "😀", "\n"]))
            update = client.get_update(before)
            if roll < 0.08:
                with self.assertRaises(Refused):
                    self.admit(update)
                refusals += 1
                client = Doc()  # the client starts again from the server's document, as on reconnect
                client.apply_update(self.document.diff())
                code = client.get("code", type=Text)
                self.assertEqual(self.document.diff(), self.passed_on.diff())
            else:
                self.assertIsNotNone(self.admit(update))
            self.assertEqual(self.document.code, str(code))
        self.assertGreater(refusals, 20)
        self.assertGreater(len(self.document.code), 400)
        # The session ends (a server edit): the next keystroke is judged by the state before it, refused, taken back.
        self.gate.admit_edit(lambda document: document.set_meta(ended_at="2026-11-27T07:00:00Z"), SERVER)
        before = client.get_state()
        code.insert(0, "late")
        with self.assertRaises(Refused) as refused:
            self.admit(client.get_update(before))
        self.assertEqual(refused.exception.code, "ended")
        self.assertTrue(self.document.session_state.ended)
        self.assertFalse(self.document.code.startswith("late"))


    def test_a_rebuild_for_pending_parts_keeps_the_update_that_set_it_off(self):
        """An update that integrates a keystroke and leaves a part pending past the limit: the
        document is rebuilt without the pending part, and with the keystroke that went out."""
        client = Doc()
        code = client.get("code", type=Text)
        before = client.get_state()
        code += "ab"
        typed = client.get_update(before)
        ahead = Doc()
        ahead.apply_update(client.get_update())
        missing = Doc()  # an edit the server never sees, which the pending part depends on
        missing.apply_update(client.get_update())
        before = missing.get_state()
        missing.get("code", type=Text).insert(2, "cd")
        ahead.apply_update(missing.get_update(before))
        before = ahead.get_state()
        ahead.get("code", type=Text).insert(3, "y" * 200)
        pending = ahead.get_update(before)
        with patch.object(gate_module, "MAX_UNINTEGRATED_BYTES", 100):
            integrated = self.admit(merge_updates(typed, pending))
        self.assertIsNotNone(integrated)
        self.assertEqual((self.document.code, self.passed_on.code), ("ab", "ab"))
        self.assertEqual(self.gate._unintegrated, 0, "rebuilt")

    def test_a_server_edit_that_fails_halfway_is_taken_back(self):
        self.gate.admit_edit(lambda document: document.replace_code("kept"), SERVER)

        def half_an_edit(document):
            document.replace_code("half")
            raise RuntimeError("the edit failed after its first change")

        with self.assertRaises(RuntimeError):
            self.gate.admit_edit(half_an_edit, SERVER)
        self.assertEqual(self.document.code, "kept")
        self.assertIsNotNone(self.gate.admit_edit(lambda document: document.replace_code("next"), SERVER))
        self.assertEqual(self.document.code, "next")


class AwarenessStoreTests(SimpleTestCase):
    def test_newer_clocks_win_and_owners_are_forgotten(self):
        awareness = AwarenessStore()
        owner = object()
        update = protocol.encode_awareness([AwarenessEntry(7, 2, {"user": {"name": "Ada", "color": "#e5484d"}})])
        self.assertEqual(len(awareness.apply(update, owner, "candidate")), 1)
        stale = protocol.encode_awareness([AwarenessEntry(7, 1, {"user": {"name": "Old"}})])
        self.assertEqual(awareness.apply(stale, owner, "candidate"), [])
        self.assertEqual(awareness.users_of(owner), [{"name": "Ada", "color": "#e5484d", "role": "candidate"}])
        # Another connection's echo of this entry is dropped unread; the owner's own is read and checked.
        garbled = protocol.var_uint(1) + protocol.var_uint(7) + protocol.var_uint(5) + protocol.var_bytes(b"{nope")
        self.assertEqual(awareness.apply(garbled, object(), "candidate"), [])
        with self.assertRaises(ProtocolError):
            awareness.apply(garbled, owner, "candidate")
        removal = protocol.decode_awareness(awareness.remove_owner(owner))
        self.assertEqual(removal, [AwarenessEntry(7, 3, None)])
        self.assertIsNone(awareness.encode())


def entries(updates):
    return [store.LogEntry(update) for update in updates]


def updates_of(document, *codes):
    """The updates that replacing the document's code with each of `codes` in turn produces."""
    updates = []
    subscription = document.doc.observe(lambda event: updates.append(event.update))
    for code in codes:
        document.replace_code(code)
    document.doc.unobserve(subscription)
    return updates


class LogBatchTests(SimpleTestCase):
    """The log row's format (log_batch.py) gives back each update with its time and author."""

    def test_updates_times_and_authors_come_back_in_order(self):
        ada = Author("Ada Lovelace 🧮", "candidate", "yjs", "c" * 16)
        grace = Author("Grace", "interviewer", "json", "g1")
        start = 1_795_000_000_123_456_789
        logged = [
            LogEntry(b"\x00" * 300, start + 5_000, ada),  # a length of two bytes
            LogEntry(b"a", start, grace),  # earlier than the first: the clock stepped back
            LogEntry(b"", start + 3_600_000_000_000, ada),
            LogEntry(bytes(range(256)), start + 7_000, SERVER_AUTHOR),
        ]
        got = log_batch.decode(log_batch.encode(logged))
        self.assertEqual([(e.data, e.ns, e.author) for e in got],
                         [(e.data, e.ns // 1000 * 1000, e.author) for e in logged])
        self.assertEqual(log_batch.decode(log_batch.encode([])), [])

    def test_a_malformed_row_raises(self):
        data = log_batch.encode([LogEntry(b"abc", 1_000_000, Author("Ada"))])
        for broken in (data[:-1], data[:3], data + b"\x05", b"\x00\x00\x00\x00"):
            with self.subTest(broken=broken), self.assertRaises(ProtocolError):
                log_batch.decode(broken)


class StoreTests(TestCase):
    def test_write_appends_in_order_and_compacts(self):
        session = InterviewSession.objects.create()
        docs = PadDocument()
        updates = updates_of(docs, *("0123456789"[: i % 10 + 1] * (i // 10 + 1) + str(i) for i in range(12)))
        store.write([store.PendingWrite(session.pk, entries(updates[:5]), "ignored", "python")], compact_every=1000)
        store.write([store.PendingWrite(session.pk, entries(updates[5:]), docs.code, "python")], compact_every=10)
        session.refresh_from_db()
        seqs = [seq for seq, _ in store.log_entries(session.pk)]
        self.assertEqual(seqs, list(range(1, 13)))
        self.assertEqual([entry.data for _, entry in store.log_entries(session.pk)], updates)
        # One row per session per flush.
        rows = LogBatch.objects.filter(session=session).values_list("seq", "last_seq")
        self.assertEqual(list(rows), [(1, 5), (6, 12)])
        # The second write crossed the compaction threshold: state covers the whole log.
        self.assertEqual((session.last_seq, session.state_seq), (12, 12))
        self.assertEqual(session.code, docs.code)
        loaded = PadDocument()
        loaded.apply_update(store.load_state(session.pk))
        self.assertEqual(loaded.code, docs.code)

    def test_one_write_covers_many_sessions(self):
        sessions = [InterviewSession.objects.create(language="go") for _ in range(3)]
        batch = []
        for i, session in enumerate(sessions):
            doc = PadDocument()
            updates = updates_of(doc, *(f"s{i} v{n}" for n in range(i + 1)))
            batch.append(store.PendingWrite(session.pk, entries(updates), doc.code, "rust" if i == 1 else None))
        batch.append(store.PendingWrite("deleted-meanwhile", entries([b"ignored"]), "x", None))
        store.write(batch, compact_every=1000)
        for i, session in enumerate(sessions):
            session.refresh_from_db()
            self.assertEqual((session.last_seq, session.code), (i + 1, f"s{i} v{i}"))
            self.assertEqual(session.language, "rust" if i == 1 else "go")
            self.assertEqual(store.log_length(session.pk), i + 1)
            loaded = PadDocument()
            loaded.apply_update(store.load_state(session.pk))
            self.assertEqual(loaded.code, f"s{i} v{i}")

    def test_unknown_session(self):
        with self.assertRaises(store.SessionNotFound):
            store.load_state("nope")

    def test_a_session_read_for_a_join_is_the_orms(self):
        from django.contrib.auth.models import User
        from django.utils import timezone

        session = InterviewSession.objects.create(
            owner=User.objects.create_user("ines"), ended_at=timezone.now(), candidate_names=["Ada"],
            state=b"\x00\x01", last_seq=7, interviewer_key_hash="h" * 64)
        fields = ("last_seq", "ended_at", "candidate_names", "state", "owner", "interviewer_key_hash")
        read, orm = store.session_only(session.pk, *fields), InterviewSession.objects.get(pk=session.pk)
        for name in ("ended_at", "candidate_names", "last_seq", "owner_id", "interviewer_key_hash"):
            self.assertEqual(getattr(read, name), getattr(orm, name), name)
        self.assertEqual(bytes(read.state), b"\x00\x01")
        self.assertIn("title", read.get_deferred_fields())
        self.assertIsNone(store.session_only("nope", *fields))


class CompactCommandTests(TestCase):
    def test_compacts_sessions_whose_log_grew(self):
        session = InterviewSession.objects.create()
        updates = updates_of(PadDocument(), "compact me")
        store.write([store.PendingWrite(session.pk, entries(updates), "stale cache", None)], compact_every=1000)
        out = StringIO()
        call_command("compact_sessions", stdout=out)
        session.refresh_from_db()
        self.assertEqual((session.code, session.state_seq), ("compact me", 1))
        self.assertEqual(store.log_length(session.pk), 1)  # the log is kept
        self.assertIn("compacted 1", out.getvalue())
