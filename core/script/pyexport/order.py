

# ---- actors and the lab's global step order ----
_BLOCKING_SYSCALLS = {0, 1, 7, 23, 35, 42, 43, 44, 45, 46, 47, 230, 232, 270, 271, 281, 288,
                      299, 307}  # x86_64: read write poll select nanosleep connect accept …
_FUTEX = 202


def _asleep(tid):
    """True when the thread sleeps in the kernel in a call that can block (not the GIL)."""
    try:
        with open("/proc/self/task/%d/stat" % tid) as f:
            st = f.read().rsplit(")", 1)[1].split()[0]
        if st not in ("S", "D"):
            return False
        with open("/proc/self/task/%d/syscall" % tid) as f:
            first = f.read().split()[0]
        if first == "running":
            return False
        nr = int(first)
        return nr != _FUTEX and (_sys.platform != "linux" or nr in _BLOCKING_SYSCALLS
                                 or _os_uname_machine != "x86_64")
    except (OSError, ValueError, IndexError):
        return False


_os_uname_machine = _os.uname().machine


def _name_thread(name):
    """The thread's kernel name (/proc comm, 15 bytes) is the actor's: `socketlab trace`
    names its actors from it (Python before 3.14 leaves it "python3")."""
    try:
        with open("/proc/thread-self/comm", "w") as f:
            f.write(name[:15])
    except OSError:
        pass


class _Actor:
    """One actor of the lab: a thread that runs its steps one after the other."""

    def __init__(self, name):
        self.name = name
        self.tid = 0
        self.busy = False
        self.outcome = (True, 0, None)  # its last finished step: ok, errno, exception
        self._queue = []
        self._cv = _threading.Condition()
        self._thread = _threading.Thread(target=self._loop, name=name, daemon=True)
        self._thread.start()

    def __repr__(self):
        return self.name

    def _loop(self):
        self.tid = _threading.get_native_id()
        _name_thread(self.name)
        while True:
            with self._cv:
                while not self._queue:
                    self._cv.wait()
                step = self._queue.pop(0)
                self.busy = True
            step.run()
            with self._cv:
                self.busy = bool(self._queue)

    def submit(self, step):
        with self._cv:
            self.busy = True
            self._queue.append(step)
            self._cv.notify()

    def blocked(self):
        return self.busy and self.tid != 0 and _asleep(self.tid)


class _Step:
    def __init__(self, actor, line, fn):
        self.actor, self.line, self.fn = actor, line, fn
        self.done = _threading.Event()
        self.outcome = (True, 0, None)
        self.value = None

    def run(self):
        try:
            self.value = self.fn()
        except BaseException as ex:  # errors are results, as in the lab
            err = getattr(ex, "errno", None) if isinstance(ex, OSError) else None
            self.outcome = (False, err, type(ex).__name__)
            _log("  %s, line %d: %s: %s" % (self.actor.name, self.line, type(ex).__name__, ex))
        self.actor.outcome = self.outcome
        self.done.set()


_last = None  # the last actor step, whose error/exception/result the lab lines read
_failures = 0
_quiet = False


def _log(text):
    if not _quiet:
        print(text, flush=True)


def _step(actor, line, fn):
    """Runs one actor step and returns when it ends or its call blocks in the kernel."""
    global _last
    step = _Step(actor, line, fn)
    _last = step
    actor.submit(step)
    asleep_since = None
    while not step.done.wait(0.005):
        if actor.blocked():
            asleep_since = asleep_since or _time.monotonic()
            if _time.monotonic() - asleep_since >= _GRACE:
                _log("  %s, line %d: blocked" % (actor.name, line))
                return
        else:
            asleep_since = None


def _settle(actors, limit=1.0):
    """Lets the actors finish what they were doing (up to 1 s) unless they are blocked."""
    end = _time.monotonic() + limit
    while _time.monotonic() < end:
        if all(not a.busy or a.blocked() for a in actors):
            return
        _time.sleep(0.005)


def _outcome():
    g = globals()
    if _last is None or not _last.done.is_set():
        g["error"], g["exception"], g["result"] = 0, None, None
        return
    ok, err, exc = _last.outcome
    g["error"] = 0 if ok else err
    g["exception"] = None if ok else exc
    g["result"] = _last.value


def _lab(actors):
    _settle(actors)
    _outcome()


def blocked(actor):
    return actor.blocked()


def error_of(actor):
    ok, err, _ = actor.outcome
    return 0 if ok else err


def exception_of(actor):
    ok, _, exc = actor.outcome
    return None if ok else exc


def _expect(actors, line, text, cond):
    """`expect`: tried again for up to 500 ms (the kernel may need a moment to show it)."""
    global _failures
    _lab(actors)
    end = _time.monotonic() + 0.5
    while True:
        try:
            ok = bool(cond())
        except Exception as ex:
            ok = False
            why = "%s: %s" % (type(ex).__name__, ex)
        else:
            why = ""
        if ok or _time.monotonic() >= end:
            break
        _time.sleep(0.01)
        _outcome()
    _log("  expect %s: %s%s" % (text, "ok" if ok else "FAILED", (" (" + why + ")") if why else ""))
    if not ok:
        _failures += 1
    return ok


def _wait_until(actors, line, text, cond, within=5.0):
    _lab(actors)
    end = _time.monotonic() + within
    while _time.monotonic() < end:
        try:
            if cond():
                return
        except Exception:
            pass
        _time.sleep(0.02)
    _log("  wait until %s: still false after %g s (line %d)" % (text, within, line))


def _say(actors, text):
    _lab(actors)
    try:
        print(text(), flush=True)
    except Exception as ex:
        print("(say failed: %s: %s)" % (type(ex).__name__, ex), flush=True)


def _finish():
    _sys.stdout.flush()
    _sys.stderr.flush()
    _os._exit(1 if _failures else 0)
