// How a traced call reads in the views: `send(1000000)`, `→ 6144`, its Python value
// (`('127.0.0.1', 50049)`, `None`, `b''  end of file — the peer closed`,
// `BlockingIOError: [Errno 11] Resource temporarily unavailable`), and its C equivalent
// for tooltips. The window's Sequence and the terminal report share these functions, so
// a call reads the same wherever it is shown; everything is derived from the trace
// (a replayed trace reads like a live one).
//
// Thread affinity: none (reads the trace's string pool, which locks briefly).
#pragma once

#include "trace/trace.h"

#include <QString>
#include <QStringList>

namespace sl::ui {

// What the trace says around a call that its Python value needs. A reader of the trace
// (the Sequence model, the terminal report) tracks these while reading events in order.
struct CallContext {
    int sockType = 0; // SOCK_STREAM, SOCK_DGRAM of the call's socket; 0 = unknown
    QString local;    // the call's socket's addresses as of its end: "127.0.0.1:5000"
    QString peer;
    QString made;          // accept(): the new socket's script name ("conn")
    QString madePeer;      // accept(): the new socket's peer address
    QStringList madeNames; // socket(), socketpair(), pipe(): the sockets made, by name
};

// The context of the call whose CallBegin is event `begin` and CallEnd event `end`, read
// from the trace around them (for a reader that does not track sockets itself, such as
// the terminal report): the socket's type and addresses as of the end, and what an
// accept() made. Scans backwards from `end` to the socket's creation, and a bounded
// stretch forwards for an accepted socket's peer.
CallContext callContextAt(const trace::Trace &trace, std::size_t begin, std::size_t end);

// The call as the script wrote it, with byte counts shown as numbers:
// `send(1000000)`, `recv(4096)`, `connect(srv.getsockname())`. A block is labelled by
// its source line (`while True:`) when `sourceLine` is given, else `block at line 32`.
QString callText(const trace::Trace &trace, const trace::Event &begin,
                 const QString &sourceLine = {});
// `6144`, `EAGAIN (BlockingIOError)`: the raw return value (the trace table).
QString resultText(const trace::Event &end);
// The value the call returned (or the exception it raised) as Python shows it:
// `None`, `6144`, `b'last words'`, `('127.0.0.1', 50049)`, `(conn, ('127.0.0.1', 50050))`,
// `b''  end of file — the peer closed`, `BlockingIOError: [Errno 11] …`.
QString pythonResult(const trace::Trace &trace, const trace::Event &end,
                     const CallContext &context = {});
// `('127.0.0.1', 50049)`, `('::1', 5000, 0, 0)`, `'/tmp/s'` from "127.0.0.1:50049" etc.
QString pythonAddress(const QString &address);
// `b'last words'`, `b'it\'s'`, `b'\x00\xff'`; `b'HTTP/1.0 200 OK'… (5,019 bytes)` when
// `total` is longer than the preview.
QString pythonBytes(const QByteArray &bytes, qint64 total = -1);
// `BlockingIOError: [Errno 11] Resource temporarily unavailable`.
QString pythonException(int err);
// recv()/read() on a stream socket returned zero bytes: the peer closed its sending
// side. Not an error and not a partial read.
bool isEndOfFile(const trace::Event &end, int sockType);
// `end of file — the peer closed` (translated).
QString endOfFileText();
// `send(fd 5, buf, 1000000, MSG_NOSIGNAL)`.
QString cCallText(const trace::Trace &trace, const trace::Event &begin, int fd);
// Splits `a, (b, c), "d,e"` at its top-level commas.
QStringList splitArgs(const QString &args);

} // namespace sl::ui
