"""Python binding of libglaneur (ctypes, no compilation needed).

    import glaneur
    doc = glaneur.extract("Le ministre ... lundi 13 mars à Tokyo.", date="2023-03-20")
    doc["entities"], doc["relations"]

extract(text, date=None, id="doc", text_out=False) -> dict   the JSON Lines record, as a dict
Extractor(data_dir=None, lexicon=None)                        a model and one worker per thread

The library is found through $GLANEUR_LIB, else build/libglaneur.so next to this repository.
The model is loaded once per process; each thread gets its own worker, as the library requires.
"""
import ctypes
import json
import os
import threading

_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class _Buf(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("len", ctypes.c_size_t), ("cap", ctypes.c_size_t)]


class _ModelOpts(ctypes.Structure):
    _fields_ = [("data_dir", ctypes.c_char_p), ("lexicon_path", ctypes.c_char_p)]


class _DocOpts(ctypes.Structure):
    _fields_ = [("id", ctypes.c_char_p), ("source", ctypes.c_char_p), ("date", ctypes.c_char_p),
                ("today", ctypes.c_char_p), ("all_sections", ctypes.c_bool), ("no_captions", ctypes.c_bool),
                ("max_entities", ctypes.c_size_t)]


def _load_library():
    path = os.environ.get("GLANEUR_LIB") or os.path.join(_ROOT, "build", "libglaneur.so")
    lib = ctypes.CDLL(path)
    lib.gla_model_load.argtypes = [ctypes.POINTER(_ModelOpts), ctypes.POINTER(ctypes.c_void_p), ctypes.c_char_p,
                                   ctypes.c_size_t]
    lib.gla_model_free.argtypes = [ctypes.c_void_p]
    lib.gla_worker_new.argtypes = [ctypes.c_void_p]
    lib.gla_worker_new.restype = ctypes.c_void_p
    lib.gla_worker_free.argtypes = [ctypes.c_void_p]
    lib.gla_extract.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(_DocOpts),
                                ctypes.POINTER(ctypes.c_void_p)]
    lib.gla_render.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_uint, ctypes.POINTER(_Buf)]
    lib.gla_buf_free.argtypes = [ctypes.POINTER(_Buf)]
    lib.gla_strerror.argtypes = [ctypes.c_int]
    lib.gla_strerror.restype = ctypes.c_char_p
    return lib


class GlaneurError(Exception):
    """An article glaneur could not process (invalid UTF-8, empty, over a limit...)."""


class Extractor:
    """A loaded model, shared by the threads of this process, each with its own worker."""

    def __init__(self, data_dir=None, lexicon=None):
        self._lib = _load_library()
        opts = _ModelOpts(data_dir.encode() if data_dir else None, lexicon.encode() if lexicon else None)
        model = ctypes.c_void_p()
        why = ctypes.create_string_buffer(512)
        rc = self._lib.gla_model_load(ctypes.byref(opts), ctypes.byref(model), why, len(why))
        if rc != 0:
            raise GlaneurError("cannot load the model: " + why.value.decode(errors="replace"))
        self._model = model
        self._local = threading.local()
        self._workers = []
        self._lock = threading.Lock()

    def _worker(self):
        w = getattr(self._local, "worker", None)
        if w is None:
            w = self._lib.gla_worker_new(self._model)
            if not w:
                raise MemoryError("glaneur: out of memory")
            self._local.worker = w
            with self._lock:
                self._workers.append(w)
        return w

    def extract(self, text, date=None, id="doc", text_out=False, today=None):
        data = text.encode("utf-8")
        opts = _DocOpts(id.encode(), None, date.encode() if date else None, today.encode() if today else None,
                        False, False, 0)
        res = ctypes.c_void_p()
        rc = self._lib.gla_extract(self._worker(), data, len(data), ctypes.byref(opts), ctypes.byref(res))
        if rc != 0:
            raise GlaneurError("%s: %s" % (id, self._lib.gla_strerror(rc).decode()))
        buf = _Buf()
        rc = self._lib.gla_render(res, 0, 1 if text_out else 0, ctypes.byref(buf))
        try:
            if rc != 0:
                raise GlaneurError("%s: %s" % (id, self._lib.gla_strerror(rc).decode()))
            return json.loads(ctypes.string_at(buf.data, buf.len).decode("utf-8"))
        finally:
            self._lib.gla_buf_free(ctypes.byref(buf))

    def close(self):
        for w in self._workers:
            self._lib.gla_worker_free(w)
        self._workers = []
        if self._model:
            self._lib.gla_model_free(self._model)
            self._model = None

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


_default = None


def extract(text, date=None, id="doc", text_out=False, today=None):
    """Annotates one article; returns its JSON Lines record as a dict."""
    global _default
    if _default is None:
        _default = Extractor()
    return _default.extract(text, date=date, id=id, text_out=text_out, today=today)
