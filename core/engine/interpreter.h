// Runs statements of a .lab program: on an actor's thread for the actor's steps, or
// on the lab's thread for `say`, `expect` and `wait until` (which may only read: a
// socket call there is an error).
//
// Every socket call is a real system call, recorded as CallBegin/CallEnd in the
// trace with its arguments, return value, errno, bytes asked and moved, duration and
// a capped preview of the payload. Helpers (sendall, recv_exactly, …) and blocks
// (for/while/if) are recorded as calls too, with their sub-calls nested inside.
//
// A failing call raises, as in Python: the exception ends the step (and any loop it
// was in) and becomes the step's result — a teaching result, shown with its errno by
// name and Python's exception class. Mistakes in the script itself (TypeError,
// NameError, …) are results too, but marked as script errors so `check` fails.
//
// Thread affinity: one Interpreter per thread; it is not shared.
#pragma once

#include "engine/context.h"
#include "engine/lang/object.h"
#include "sys/errors.h"
#include "sys/net.h"

#include <QHash>
#include <array>
#include <cerrno>
#include <functional>
#include <memory>

namespace sl::engine {

struct PollObject; // bindings/bound.h
struct EpollObject;
struct FileObject;

struct StepOutcome {
    bool ok = true;
    int err = 0;                     // errno of the call that raised, 0 otherwise
    QString exception;               // "BlockingIOError", "TypeError", "LabPolicyError", …
    QString message;                 // Python-like message, with errno name where there is one
    bool scriptError = false;        // a mistake in the script, not a result of the kernel
    Value value;                     // the step's value (the call's return)
    int line = 0;                    // line that raised
    std::vector<int> socketsTouched; // lab socket ids used by the step's calls
};

struct ScriptException {
    QString type;
    QString message;
    int err = 0; // the exception's errno (0: None, as TimeoutError's after a timeout)
    bool scriptError = false;
    int callErr = 0; // the errno the failed call recorded in the trace
    Value value;     // the exception object (`raise`, or made once an `except` binds it)
};

class Interpreter {
public:
    // actor: index into ctx.actors, or -1 for the lab's own thread.
    Interpreter(LabContext &ctx, int actor);

    StepOutcome runStep(const script::Stmt &step);
    // For say/expect/wait-until on the lab thread.
    Value evaluate(const script::Expr &e); // throws ScriptException
    QString narrate(const std::vector<script::SayPart> &parts);

    // The previous step's outcome, seen by `error`, `exception` and `result`.
    void setLastOutcome(const StepOutcome &o) { m_last = o; }

private:
    enum class Flow { Normal, Break, Continue, Return };
    Flow exec(const script::Stmt &s);
    Flow execBlock(const std::vector<script::StmtPtr> &body);
    void assign(const script::Stmt &s, Value &&v); // (v is left with the name's old value)
    Value eval(const script::Expr &e);
    Value evalBinary(const script::Expr &e);
    bool concat(const Value &a, const Value &b, Value *out);
    Value evalCompare(const script::Expr &e);
    Value evalIndex(const script::Expr &e);
    Value evalCall(const script::Expr &e);
    Value evalMethod(const script::Expr &e);
    Value evalBuiltin(const script::Expr &e, const ValueList &args);
    Value evalProbe(const script::Expr &e, const ValueList &args);
    Value address(const sys::SockAddr &a) const;
    sys::SockAddr addressArg(const Value &v, int family, const char *call);

    // calls.cpp: the socket calls
    Value callFunction(const script::Expr &e, const ValueList &args);
    Value callSocketMethod(const script::Expr &e, LabSocket &s, const ValueList &args);
    Value doSocket(const script::Expr &e, const ValueList &args);
    Value doSocketpair(const script::Expr &e, const ValueList &args);
    Value doPipe(const script::Expr &e);
    Value doSelect(const script::Expr &e, const ValueList &args);
    Value doSleep(const script::Expr &e, const ValueList &args);
    // oscalls.cpp: os.fork(), os._exit(), os.waitpid(), os.getpid() (forks.h)
    Value doFork(const script::Expr &e);
    Value doExit(const script::Expr &e, const ValueList &args);
    Value doWaitpid(const script::Expr &e, const ValueList &args);
    Value doGetpid(const script::Expr &e);
    Value doGethostname(const script::Expr &e, const ValueList &args);   // bindings/resolver.cpp
    Value doGethostbyname(const script::Expr &e, const ValueList &args); // bindings/resolver.cpp
    Value doSend(const script::Expr &e, LabSocket &s, const QByteArray &data, std::int64_t from,
                 script::CallId id = script::CallId::Send);
    Value doRecv(const script::Expr &e, LabSocket &s, std::int64_t n,
                 script::CallId id = script::CallId::Recv);
    // The same calls without a Value: send()'s count, and recv()'s bytes in the
    // interpreter's recv buffer (valid until the next recv; release m_recvBig after a
    // copy of it is taken, as doRecv() does).
    std::int64_t sendBytes(const script::Expr &e, LabSocket &s, const QByteArray &data,
                           std::int64_t from, script::CallId id);
    const QByteArray &recvBytes(const script::Expr &e, LabSocket &s, std::int64_t n,
                                script::CallId id);
    Value doAddressCall(const script::Expr &e, LabSocket &s, const ValueList &args);
    Value doOption(const script::Expr &e, LabSocket &s, const ValueList &args);

    // timedcall.cpp: settimeout(t > 0) as CPython does it — the descriptor is
    // O_NONBLOCK and each call first waits in poll() (the actor is blocked in poll
    // with the call's name), up to t seconds from the call's start. timed() runs
    // call(fd) that way, or once when the socket has no timeout; a call that ran out
    // of time returns timeoutResult() (EWOULDBLOCK), which raiseErrno() turns into
    // TimeoutError.
    static constexpr int TimedOut = -1;
    template <class Call>
    sys::SysResult timed(LabSocket &s, bool writing, Call &&call) {
        const double t = s.timeout.load(std::memory_order_relaxed);
        if (!(t > 0))
            return call(s.fd.load());
        const std::int64_t deadline = m_sendallDeadline ? m_sendallDeadline : deadlineAfter(t);
        for (;;) {
            const int w = waitReady(s, writing, deadline);
            if (w == TimedOut)
                return timeoutResult();
            if (w != 0)
                return sys::SysResult::failure(w);
            const sys::SysResult r = call(s.fd.load());
            if (r.ok() || (r.err != EAGAIN && r.err != EWOULDBLOCK))
                return r; // else poll() said ready and it was not: wait again
        }
    }
    static std::int64_t deadlineAfter(double seconds);
    // 0: ready; TimedOut; or an errno (poll() failed, or the socket was closed).
    static int waitReady(const LabSocket &s, bool writing, std::int64_t deadlineNs);
    static sys::SysResult timeoutResult();
    sys::SysResult connectTimed(LabSocket &s, const sys::SockAddr &a);
    // sendall() on a socket with a timeout: the timeout bounds the whole sendall, not
    // each send (CPython ≥ 3.5). 0 when no sendall is in progress.
    std::int64_t m_sendallDeadline = 0;

    // wirecalls.cpp: Wire(...), its methods and held(wire)
    Value doWire(const script::Expr &e, const ValueList &args);
    Value callWireMethod(const script::Expr &e, const Value &obj, const ValueList &args);
    Value wireHeld(const ValueList &args);
    std::shared_ptr<Wire> wireArg(const Value &v, const char *what);

    // helpers.cpp: the HOWTO's patterns, each a visible sequence of sub-calls
    Value helperSendall(const script::Expr &e, LabSocket &s, const QByteArray &data);
    QByteArray helperRecvExactly(const script::Expr &e, LabSocket &s, std::int64_t n);
    Value helperRecvUntil(const script::Expr &e, LabSocket &s, const QByteArray &delim);
    Value helperSendMsg(const script::Expr &e, LabSocket &s, const QByteArray &payload);
    Value helperRecvMsg(const script::Expr &e, LabSocket &s);

    // Tracing. begin() records CallBegin and marks the actor as in the call;
    // end() records CallEnd and raises the OSError when r failed (unless noRaise).
    struct CallMark {
        std::int64_t t0 = 0;
        script::CallId id{};
        int sock = -1;
        std::int64_t asked = -1;
        std::uint8_t flags = 0;
        // The socket begin() counted as in a call (inflight), uncounted by end(). It is
        // alive for the call: a Value or the step holds its shared_ptr, or (socketIo())
        // the SocketTable, which keeps every LabSocket until no actor runs.
        LabSocket *counted = nullptr;
    };
    CallMark begin(script::CallId id, const script::Expr *e, const LabSocket *s, std::int64_t asked,
                   std::uint8_t flags = 0);
    void end(const CallMark &m, std::int64_t ret, int err, std::int64_t moved,
             const char *payload = nullptr, std::size_t payloadLen = 0);
    [[noreturn]] void raiseErrno(int err, const LabSocket *s, const QString &context = {});
    [[noreturn]] void raise(const char *type, const QString &message, bool scriptError);
    trace::StrRef argsRef(const script::Expr *e);
    void touch(const LabSocket &s);
    std::shared_ptr<LabSocket> socketArg(const Value &v, const char *what);
    void checkAddressAllowed(const QString &host, const sys::SockAddr &resolved, const char *call);
    // socket.gaierror as CPython raises it: errno = the EAI_* code (negative), the message
    // gai_strerror()'s ("[Errno -2] Name or service not known"). bindings/resolver.cpp.
    [[noreturn]] void raiseGaierror(int eai, const QString &text);
    void checkSize(std::int64_t n, const char *what);

    // bindings/ (issue 9): library objects and functions, each system call recorded.
    // structmod.cpp: struct.pack/unpack/calcsize, socket.htons/… (pure; false when
    // e is not one of them).
    bool bindingBuiltin(const script::Expr &e, const ValueList &args, Value *out);
    // bound.cpp: the methods of a Bound value (poll, epoll, selector, file), and their
    // attributes (f.closed, ep.closed; a selector key's fileobj/fd/events/data) for an
    // attribute read: boundAttribute() raises AttributeError for an unknown name.
    Value callBoundMethod(const script::Expr &e, const Value &obj, const ValueList &args);
    Value boundAttribute(const Value &obj, const QString &name);
    // pollcalls.cpp: select.poll(), select.epoll(), selectors.DefaultSelector()
    Value doPollNew(const script::Expr &e, const ValueList &args);
    Value doEpollNew(const script::Expr &e, const ValueList &args);
    Value pollMethod(const script::Expr &e, PollObject &p, const ValueList &args);
    Value epollMethod(const script::Expr &e, EpollObject &p, const ValueList &args);
    Value selectorMethod(const script::Expr &e, EpollObject &p, const ValueList &args);
    int watchFd(const Value &v, std::shared_ptr<LabSocket> *sock); // int or fileno()
    Value epollWait(const script::Expr &e, EpollObject &p, script::CallId id, int timeoutMs,
                    int maxEvents, std::vector<std::pair<int, std::uint32_t>> *out);
    // The SelectIn/SelectOut pair the select() panel reads, for poll and epoll too.
    trace::Event recordSelectIn(const QString (&ids)[3], int nfds, std::int64_t timeoutNs);
    void recordSelectOut(const trace::Event &in, const QString (&ids)[3]);
    // makefile.cpp: sock.makefile() and its file object
    Value doMakefile(const script::Expr &e, LabSocket &s, const ValueList &args);
    Value fileMethod(const script::Expr &e, FileObject &f, const ValueList &args);
    void fileFlush(const script::Expr &e, FileObject &f);
    qsizetype fileRawRead(const script::Expr &e, FileObject &f, QByteArray &into,
                          qsizetype n); // one recv(); 0 at EOF
    void fileClose(const script::Expr &e, FileObject &f);
    // AF_UNIX addresses (calls.cpp): a path str or an abstract b"\0name"
    sys::SockAddr unixAddressArg(const Value &v, const char *call);

    LabContext &m_ctx;
    int m_actor;
    int m_line = 0;
    int m_depth = 0; // nesting of open calls (helpers, blocks)
    StepOutcome m_last;
    std::vector<int> m_touched;
    QHash<const script::Expr *, trace::StrRef> m_argsRefs;
    // argsRef()'s last answer: a loop's call asks for the same node every time.
    const script::Expr *m_lastArgsExpr = nullptr;
    trace::StrRef m_lastArgsRef = 0;
    QStringList m_pendingNames; // names the sockets a call creates will be bound to
    std::vector<std::pair<script::CallId, std::int64_t>> m_open; // calls in progress
    // In a forked child: how many of m_open the parent began (the block the fork was
    // in). Their ends are the parent's to record, on its lane; the child records none.
    std::size_t m_inheritedOpen = 0;

    // Hot-path scratch (operators.cpp, methods.cpp): the argument lists of the calls
    // being evaluated, one per nesting level, kept with their capacity; and the last
    // few recv() buffers, refilled when nothing else holds them any more.
    struct ArgList;
    ValueList &takeArgList();
    std::vector<std::unique_ptr<ValueList>> m_argLists;
    std::size_t m_argDepth = 0;
    static constexpr std::int64_t RecvReusable = 64 * 1024; // larger ones are not kept
    QByteArray &recvBuffer(std::int64_t n);
    std::array<QByteArray, 3> m_recvBuffers;
    std::size_t m_recvNext = 0;
    QByteArray m_recvBig;

    // ---- lang/: def, class, try, with, raise (issue 9, "Python-faithful")
public:
    // obj.method(args) where obj is a Python object (or the method is none of the
    // catalogue's): called from evalMethod() once the object and arguments are known.
    Value callObjectMethod(const script::Expr &e, const Value &obj, const ValueList &args);

private:
    using KwArgs = std::vector<std::pair<QString, Value>>;
    struct Frame { // a def's local names during one call
        std::vector<Value> values;
        std::vector<char> assigned;
    };
    Flow execPy(const script::Stmt &s); // Def, Class, Return, Raise, Try, With, Import, Global
    Flow execTry(const script::Stmt &s);
    Flow execWith(const script::Stmt &s);
    Flow execFinally(const script::Stmt &s);
    void bindTarget(const script::Stmt &s, Value &&v); // Assign/AugAssign/For targets
    void store(const script::Expr &target, Value v);   // a Name, a Tuple of names, an Attr
    Value augmented(const Value &cur, const Value &v, char op);
    Value loadLocal(const script::Expr &e);
    Value unassignedName(const script::Expr &e); // an actor, a builtin class, or NameError
    void delName(const script::Expr &name);      // `del name`: lang/delname.cpp
    bool stillReferenced(const LabSocket *s) const;
    Value evalAttr(const script::Expr &e);
    Value evalUserCall(const script::Expr &e);
    KwArgs evalKwargs(const script::Expr &e);
    Value callValue(const Value &callee, ValueList args, KwArgs kwargs, const script::Expr *site);
    Value invoke(const lang::Function &fn, const Value *self, ValueList args, KwArgs kwargs,
                 const script::Expr *site);
    Value instantiate(const std::shared_ptr<const lang::Class> &cls, ValueList args, KwArgs kwargs,
                      const script::Expr *site);
    Value makeFunction(const script::Stmt &def, const QString &qualname);
    void makeClass(const script::Stmt &s);
    Value exceptionValue(const ScriptException &ex); // the object `except … as e` binds
    [[noreturn]] void raiseValue(const Value &exc);
    bool matches(const Value &type, const Value &exc);

    Frame *m_frame = nullptr; // the running def's locals (null: module level)
    Value m_returnValue;
    std::vector<ScriptException> m_handling; // exceptions being handled (a bare raise)
    int m_callDepth = 0;
    static constexpr int MaxCallDepth = 100; // then RecursionError

    // ---- Python subset: values (issue 9; engine/lang/evalvalues.cpp, operators.cpp) --
public:
    // for x in v: runs body(x) for each item (lang::iterate); body returns false to stop.
    void forEachItem(const Value &v, const std::function<bool(const Value &)> &body);

private:
    Value evalValueExpr(const script::Expr &e); // Dict, FString, Format, SetItem, DelItem
    Value doPrint(const ValueList &args, const std::vector<std::pair<QString, Value>> &kw);
    Value binaryOp(char op, const Value &a, const Value &b);
    bool extendInPlace(const Value &cur, const Value &more); // lst += more
    void checkItems(std::size_t n);

    // ---- fast paths of the hot loop shapes (fastpaths.cpp): each answers false (or
    // -1) when it does not apply, and the caller takes the general path, which gives
    // the same result and raises the same errors. None of them has a side effect.
    struct RangeSpec {
        std::int64_t lo = 0, step = 1, count = 0;
    };
    RangeSpec rangeSpec(const ValueList &args); // range()'s arguments, checked
    // `for x in range(…)`: the ints one by one, without building the list.
    bool execForRange(const script::Stmt &s, Flow *flow);
    // A name read as the name's slot: a global of the lab (not a def's local, not the
    // lab's own error/result/exception); -1 otherwise.
    int plainSlot(const script::Expr &e) const;
    // An int literal, a name holding an int, or len() of a name holding bytes: read
    // under the name's lock, no Value copied.
    bool intOperand(const script::Expr &e, std::int64_t *out);
    // if/while conditions: `a < b` of ints, `not name`, `name` without a Value copy.
    bool condition(const script::Expr &e);
    // `n += <int operand>` / `n -= …` on a name holding an int, in place.
    bool augIntInPlace(const script::Stmt &s);
    // `sock.send(data)` / `sock.recv(n)` on an actor (sock a name of a socket, data a
    // bytes literal or a name of bytes, n an int operand): the checks evalMethod() and
    // callSocketMethod() make, answered without an argument list, the arguments'
    // Values or a copy of the socket's shared_ptr.
    struct SocketIo {
        LabSocket *sock = nullptr;
        bool send = false;
        std::int64_t n = 0; // recv()'s count
        QByteArray data;    // send()'s bytes (shared, not copied)
    };
    bool socketIo(const script::Expr &e, SocketIo *io);
    // `sock.send(data)` as a statement, `name = sock.recv(n)`: the call of socketIo()
    // with its result discarded or bound to the name without a Value in between.
    bool execSocketIo(const script::Stmt &s);
};

} // namespace sl::engine
