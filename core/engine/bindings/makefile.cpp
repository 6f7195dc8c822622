// sock.makefile(): CPython's socket.SocketIO under io.BufferedReader / BufferedWriter
// (BufferedRWPair for "rwb"), with the same buffer arithmetic as CPython 3.11's C
// implementation (Modules/_io/bufferedio.c), so the learner sees when bytes leave:
//  - write(b) copies into the 8192-byte buffer and sends nothing while it fits; when
//    it does not, the buffer is sent first, then what exceeds a buffer is sent
//    directly, and the rest is buffered;
//  - flush() calls send() until the buffer is empty;
//  - readline() looks in the buffer, then recv(8192)s until a b"\n" or b"";
//  - read(n) takes the buffer, recv()s whole multiples of 8192 straight into the
//    result, then fills the buffer for the rest; read() reads to b"".
// Each file call is recorded as a helper call with its real send()/recv() nested.
#include "engine/bindings/bound.h"
#include "engine/interpreter.h"

#include "sys/net.h"

using namespace sl::script;

namespace sl::engine {

Value Interpreter::doMakefile(const Expr &e, LabSocket &s, const ValueList &args) {
    const QString mode = args.empty() || args[0].isNone() ? QStringLiteral("r") : args[0].s;
    if ((!args.empty() && args[0].type != Value::Type::Str) ||
        !std::all_of(mode.begin(), mode.end(),
                     [](QChar c) { return c == u'r' || c == u'w' || c == u'b'; }))
        raise("ValueError",
              QStringLiteral("invalid mode %1 (only r, w, b allowed)")
                  .arg(args.empty() ? QString() : args[0].repr()),
              true);
    auto f = std::make_shared<FileObject>();
    f->sock = m_ctx.sockets.byId(s.id);
    f->writing = mode.contains(u'w');
    f->reading = mode.contains(u'r') || !f->writing;
    f->binary = mode.contains(u'b');
    f->mode = mode;
    std::int64_t buffering = args.size() > 1 && !args[1].isNone() ? args[1].i : -1;
    if (buffering < 0)
        buffering = 8192; // io.DEFAULT_BUFFER_SIZE
    if (buffering == 0 && !f->binary)
        raise("ValueError", QStringLiteral("unbuffered streams must be binary"), true);
    f->bufferSize = int(std::min<std::int64_t>(buffering, 1 << 24));
    (void)e;
    s.ioRefs.fetch_add(1);
    return Value::bound(f);
}

qsizetype Interpreter::fileRawRead(const Expr &e, FileObject &f, QByteArray &into, qsizetype n) {
    const Value got = doRecv(e, *f.sock, n);
    into += got.b;
    return got.b.size();
}

void Interpreter::fileFlush(const Expr &e, FileObject &f) {
    // _bufferedwriter_flush_unlocked(): send() until every buffered byte is taken.
    while (!f.wbuf.isEmpty()) {
        const Value sent = doSend(e, *f.sock, f.wbuf, 0);
        f.wbuf.remove(0, qsizetype(sent.i));
    }
}

void Interpreter::fileClose(const Expr &e, FileObject &f) {
    if (f.closed)
        return;
    f.closed = true; // as CPython: closed even when the flush fails
    struct Release {
        Interpreter &in;
        const Expr &e;
        FileObject &f;
        ~Release() {
            // SocketIO.close() -> sock._decref_socketios(): the socket's own close()
            // waited for its files; the last one closes the descriptor now.
            if (f.sock && f.sock->ioRefs.fetch_sub(1) == 1 && f.sock->closePending.load() &&
                f.sock->fd.load() >= 0) {
                CallMark m = in.begin(CallId::Close, &e, f.sock.get(), -1);
                const int err = in.m_ctx.sockets.close(*f.sock);
                in.end(m, err ? -1 : 0, err, -1);
            }
        }
    } release{*this, e, f};
    if (f.writing && f.bufferSize > 0)
        fileFlush(e, f);
}

Value Interpreter::fileMethod(const Expr &e, FileObject &f, const ValueList &args) {
    const CallId id = e.call->id;
    std::lock_guard lock(f.mutex);
    if (id == CallId::Fileno) {
        if (f.closed)
            raise("ValueError", QStringLiteral("I/O operation on closed file."), true);
        return Value::integer(f.sock ? f.sock->fd.load() : -1);
    }
    if (m_actor < 0)
        raise("LabError",
              QStringLiteral("%1() may make a system call: only an actor can do that").arg(e.name),
              true);
    LabSocket &s = *f.sock;
    switch (id) {
    case CallId::Close: {
        CallMark m = begin(CallId::FileClose, &e, &s, -1, trace::CallHelper);
        try {
            fileClose(e, f);
        } catch (const ScriptException &ex) {
            end(m, -1, ex.callErr, -1);
            throw;
        }
        end(m, 0, 0, -1);
        return Value::none();
    }
    case CallId::Flush:
    case CallId::Write: {
        if (f.closed)
            raise("ValueError",
                  id == CallId::Write ? QStringLiteral("write to closed file")
                                      : QStringLiteral("flush of closed file"),
                  true);
        if (id == CallId::Write && !f.writing)
            raise("io.UnsupportedOperation", QStringLiteral("write"), true);
        QByteArray data;
        if (id == CallId::Write) {
            const Value &v = args.at(0);
            if (f.binary && v.type != Value::Type::Bytes)
                raise("TypeError",
                      QStringLiteral("a bytes-like object is required, not '%1'")
                          .arg(QLatin1String(v.typeName())),
                      true);
            if (!f.binary && v.type != Value::Type::Str)
                raise("TypeError",
                      QStringLiteral("write() argument must be str, not %1")
                          .arg(QLatin1String(v.typeName())),
                      true);
            data = f.binary ? v.b : v.s.toUtf8();
        }
        const std::int64_t len = data.size();
        CallMark m = begin(id == CallId::Write ? CallId::FileWrite : CallId::Flush, &e, &s, -1,
                           trace::CallHelper);
        std::int64_t sent = 0;
        try {
            if (id == CallId::Flush || f.bufferSize == 0) {
                if (f.bufferSize == 0) { // the raw SocketIO: write() is one send()
                    const Value r = doSend(e, s, data, 0);
                    sent = r.i;
                    end(m, r.i, 0, sent);
                    return Value::integer(r.i);
                }
                sent = f.wbuf.size();
                fileFlush(e, f);
            } else if (len <= f.bufferSize - f.wbuf.size()) {
                f.wbuf += data; // fits: nothing leaves yet
            } else {
                sent = f.wbuf.size();
                fileFlush(e, f);
                qsizetype written = 0;
                while (len - written > f.bufferSize) {
                    const Value r = doSend(e, s, data, written);
                    written += qsizetype(r.i);
                    sent += r.i;
                }
                f.wbuf = data.mid(written);
            }
        } catch (const ScriptException &ex) {
            end(m, -1, ex.callErr, sent);
            throw;
        }
        end(m, id == CallId::Write ? len : 0, 0, sent);
        return id == CallId::Write ? Value::integer(len) : Value::none();
    }
    case CallId::Read:
    case CallId::Readline: {
        if (f.closed)
            raise("ValueError", QStringLiteral("read of closed file"), true);
        if (!f.reading)
            raise("io.UnsupportedOperation", QStringLiteral("read"), true);
        std::int64_t n = args.empty() || args[0].isNone() ? -1 : args[0].i;
        if (!args.empty() && !args[0].isNone() && args[0].type != Value::Type::Int)
            raise("TypeError",
                  QStringLiteral("argument should be integer or None, not '%1'")
                      .arg(QLatin1String(args[0].typeName())),
                  true);
        if (id == CallId::Read && n < -1)
            raise("ValueError", QStringLiteral("read length must be non-negative or -1"), true);
        if (n >= 0)
            checkSize(n, "a read");
        const int bs = std::max(f.bufferSize, 1);
        CallMark m = begin(id == CallId::Read ? CallId::FileRead : CallId::Readline, &e, &s, n,
                           trace::CallHelper);
        QByteArray out;
        try {
            if (id == CallId::Readline) {
                // _buffered_readline(): the buffer first, then recv(8192) at a time.
                for (bool fromBuffer = true;; fromBuffer = false) {
                    if (!fromBuffer) {
                        f.rbuf.clear();
                        if (fileRawRead(e, f, f.rbuf, bs) == 0)
                            break;
                    }
                    qsizetype take = f.rbuf.size();
                    if (n >= 0)
                        take = std::min<qsizetype>(take, qsizetype(n) - out.size());
                    const qsizetype nl = f.rbuf.left(take).indexOf('\n');
                    if (nl >= 0)
                        take = nl + 1;
                    out += f.rbuf.left(take);
                    f.rbuf.remove(0, take);
                    if (nl >= 0 || (n >= 0 && out.size() >= n))
                        break;
                }
            } else if (n < 0) {
                // readall(): the buffer, then recv(8192) until b"".
                out = f.rbuf;
                f.rbuf.clear();
                while (fileRawRead(e, f, out, 8192) > 0) {
                }
            } else if (f.bufferSize == 0) { // the raw SocketIO: one recv()
                fileRawRead(e, f, out, qsizetype(n));
            } else if (n <= f.rbuf.size()) {
                out = f.rbuf.left(qsizetype(n));
                f.rbuf.remove(0, qsizetype(n));
            } else {
                // _bufferedreader_read_generic()
                out = f.rbuf;
                f.rbuf.clear();
                bool done = false;
                while (!done && out.size() < n) {
                    const qsizetype whole = (qsizetype(n) - out.size()) / bs * bs;
                    if (whole == 0)
                        break;
                    done = fileRawRead(e, f, out, whole) == 0;
                }
                qsizetype readEnd = 0; // bytes in the buffer since it was emptied
                while (!done && out.size() < n && readEnd < bs) {
                    QByteArray chunk;
                    const qsizetype r = fileRawRead(e, f, chunk, bs - readEnd);
                    if (r == 0)
                        break;
                    readEnd += r;
                    const qsizetype take = std::min<qsizetype>(r, qsizetype(n) - out.size());
                    out += chunk.left(take);
                    f.rbuf = chunk.mid(take);
                }
            }
        } catch (const ScriptException &ex) {
            end(m, -1, ex.callErr, out.size());
            throw;
        }
        end(m, out.size(), 0, out.size(), out.constData(), std::size_t(out.size()));
        if (!f.binary)
            return Value::str(QString::fromUtf8(out));
        return Value::bytes(out);
    }
    default:
        break;
    }
    raise("AttributeError",
          QStringLiteral("'%1' object has no attribute '%2'")
              .arg(QLatin1String(f.binary ? "BufferedRWPair" : "TextIOWrapper"), e.name),
          true);
}

} // namespace sl::engine
