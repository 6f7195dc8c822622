# socketlab trace: loaded by CPython at start-up (the lab puts this directory first on
# PYTHONPATH). It tells the lab's interposer which line of the program makes each socket
# call: every method of socket.socket is wrapped to write the caller's line and file
# number into this thread's slot in libsocketlab_preload.so before it runs, and line 0
# after. The slot is a memoryview over memory the interposer owns (its address asked
# once per thread, a file's number once per file), so a call costs two stores, not two
# ctypes calls (issue 11's T1: the hook was most of the tracing's cost). Frames inside
# socket.py/selectors.py are skipped, so create_connection() reads as the program's
# line. Then the program's own sitecustomize, if any, still runs.
import os as _os
import sys as _sys


def _install():
    import ctypes
    import socket
    import threading
    try:
        lib = ctypes.CDLL(None)
        slot_of = lib.socketlab_pyslot
        file_of = lib.socketlab_pyfile
    except (OSError, AttributeError):
        return  # not traced
    slot_of.argtypes = []
    slot_of.restype = ctypes.c_void_p
    file_of.argtypes = [ctypes.c_char_p]
    file_of.restype = ctypes.c_int
    skip = (_os.sep + "socket.py", _os.sep + "selectors.py", _os.sep + "sitecustomize.py")
    local = threading.local()
    files = {}

    def new_slot():
        cells = (ctypes.c_int32 * 2).from_address(slot_of())
        local.slot = memoryview(cells).cast("B").cast("i")
        return local.slot

    def wrap(name):
        orig = getattr(socket.socket, name, None)
        if orig is None:
            return

        def method(self, *args, **kwargs):
            f = _sys._getframe(1)
            while f is not None and f.f_code.co_filename.endswith(skip):
                f = f.f_back
            if f is None:
                return orig(self, *args, **kwargs)
            try:
                slot = local.slot
            except AttributeError:
                slot = new_slot()
            path = f.f_code.co_filename
            number = files.get(path)
            if number is None:
                number = files[path] = file_of(path.encode(errors="replace"))
            slot[1] = number
            slot[0] = f.f_lineno
            try:
                return orig(self, *args, **kwargs)
            finally:
                slot[0] = 0

        method.__name__ = name
        setattr(socket.socket, name, method)

    for name in ("__init__", "bind", "listen", "accept", "connect", "connect_ex", "send",
                 "sendall", "sendto", "sendmsg", "recv", "recv_into", "recvfrom", "recvmsg",
                 "shutdown", "close", "setsockopt", "getsockopt", "setblocking", "settimeout"):
        wrap(name)


try:
    _install()
except Exception:  # never break the program being traced
    pass

# Chain to the sitecustomize this one hides, if the program's environment has one (run
# under its own name: this module stays "sitecustomize" for the import system).
def _chain():
    import importlib.machinery
    import importlib.util
    here = _os.path.dirname(_os.path.abspath(__file__))
    path = [p for p in _sys.path if _os.path.abspath(p or ".") != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", path)
    if spec is not None and spec.loader is not None:
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)


try:
    _chain()
except Exception:
    pass
