// SequenceModel: the sequence of calls in cause-and-effect order, one COLUMN per actor
// (after a Time column), so that who waits for whom reads like a sequence diagram.
//
// Rows follow the trace: a call's row sits where it happened, and a result sits where
// the call RETURNED. A call that nothing else interrupted is one row,
// `s.send(1000000) → 6144`. A call during which other rows appeared (it blocked while
// another actor ran, or it is a helper or a block with sub-calls) gets a START row where
// it began (`conn.recv(1024) …  blocked`) and, once it returned, an END row where it
// returned (`conn.recv(1024) → b''  end of file — the peer closed`) — so the b'' sits
// below the `s.close()` that caused it. A block (`while True:`) is labelled by its
// source line and has no end row (its sub-calls carry the results). SpanRole lets a
// view draw the blocked span in the actor's column between the two rows.
//
// Results read as Python (view/callformat.h): `None`, `('127.0.0.1', 50049)`,
// `(conn, ('127.0.0.1', 50050))`, `b'last words'`, `BlockingIOError: [Errno 11] …`.
// Sub-calls of a helper or a block are indented under their parent. select() reads
// `select([srv], [], []) → r=[srv] w=[] x=[]`. The tooltip is the C equivalent.
//
// It is a view of a point of the trace: with a TimeCursor, a call that returned after
// the cursor shows `…` and rows anchored after the cursor are dimmed (they are kept, so
// that the table does not jump while the learner scrubs). Without a cursor everything
// appended is shown (tests, terminal tools).
//
// Fed in batches (TraceFeed::appended, or the cursor's end growing): each batch inserts
// its columns and rows with one beginInsertColumns/beginInsertRows and updates the rows
// whose calls ended with one dataChanged. Reset only when the trace is cleared or
// replaced. Rows hold event indices; data() reads the events in place.
//
// Thread affinity: GUI thread (asserted at the entry points, ui/affinity.h). Does not own
// the trace nor the cursor; both must outlive the model.
#pragma once

#include "ui/chunkedvector.h"

#include "trace/trace.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QPointer>
#include <QStringList>
#include <functional>
#include <vector>

namespace sl::ui {

class TimeCursor;
struct CallContext;

class SequenceModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Columns { TimeColumn, FirstActorColumn }; // actor a is column FirstActorColumn + a
    enum RowKind { WholeRow, StartRow, EndRow };
    enum Span { NoSpan, SpanStart, SpanMiddle, SpanEnd }; // SpanRole, per actor column
    enum Roles {
        PartialRole = Qt::UserRole, // bool: moved < asked on the result row (not EOF)
        ErrnoRole,                  // int: errno on the result row, 0 if none or open
        BeginEventRole,             // qulonglong: index of the call's CallBegin
        EndedRole,                  // bool: the call has returned (at the cursor)
        EndEventRole,               // qlonglong: index of the CallEnd, -1 while open
        DepthRole,                  // int: nesting under helper/block calls, 0 = top
        ActorRole,                  // int: actor index (its column is FirstActorColumn + it)
        CursorPositionRole,         // qulonglong: where a click moves the cursor
        FutureRole,                 // bool: the row is anchored after the cursor
        RowKindRole,                // int: RowKind
        AnchorEventRole,            // qulonglong: the event the row stands for
        SpanRole,                   // int: Span of the column's actor's blocked call
        EndOfFileRole,              // bool: the result row of a recv that returned b''
        PairRowRole,                // int: the other row of a start/end pair, -1
    };

    explicit SequenceModel(const trace::Trace *trace, QObject *parent = nullptr);
    // Follow a cursor: its trace (rebuilt on traceChanged), its end and its position.
    void setTimeCursor(TimeCursor *cursor);
    // Where a block's label comes from: the script source of the trace shown (the lab's
    // program, or a replayed trace's header). Without it a block reads `block at line N`.
    void setSourceProvider(std::function<QString()> provider);
    // Where a call of a traced program came from, by its CallBegin's index: the Python
    // line (`client.py:7 s.connect(addr)`), shown before the call. Empty: nothing shown.
    void setCallOrigin(std::function<QString(std::size_t beginEvent)> origin);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

    const trace::Trace *trace() const { return m_trace; }
    std::size_t position() const { return m_position; }
    std::size_t consumedEvents() const { return m_consumed; } // rows cover [0, this)
    int actorCount() const { return int(m_actors.size()); }
    QString actorName(int actor) const { return m_actors.value(actor); }
    // The row the cursor stands on: the last row anchored before `position`; -1 if none.
    int rowAtPosition(std::size_t position) const;
    // `s.send(1000000) → 6144`, as of the current position.
    QString cellText(int row) const;
    std::size_t rowAnchor(int row) const;
    int rowActor(int row) const;

signals:
    void consumed(std::size_t to); // the rows now cover events [0, to)

public slots:
    void appendEvents(std::size_t from, std::size_t to);
    void clear();
    void setPosition(std::size_t position); // rows after it dim, open calls show `…`

private:
    struct Call {
        std::uint32_t begin;
        // Event indices in 32 bits (a trace holds at most Trace::MaxChunks × ChunkSize
        // < 2^31 events): a call is 36 bytes, half a million of them 18 MB (issue 13's U2
        // memory target; it was 48 with a SelectIn index nobody read and the SelectOut
        // index that only select() calls have, now in m_selectOut).
        std::int32_t end = -1; // CallEnd event index, -1 while in progress
        int startRow = -1;
        int endRow = -1;  // its end row, -1 if none
        int lastRow = -1; // the last row inside its span once it returned, -1 while open
        trace::StrRef local = 0, peer = 0; // its socket's addresses at its end
        int made = -1;                     // the first socket the call made (accept(), socket())
        std::uint8_t madeCount = 0;        // how many (socketpair(): 2, ids in a row)
        std::uint8_t actor = 0;
        std::uint8_t depth = 0;
        bool spanned : 1 = false; // other rows appeared while it was open
        bool blocked : 1 = false; // the actor was reported blocked in it
    };
    static_assert(sizeof(Call) == 36);
    struct Row { // 4 bytes: a million rows in 4 MB
        std::uint32_t call : 31;
        std::uint32_t isEnd : 1 = 0;
    };
    static_assert(sizeof(Row) == 4);
    void rebuild();
    void resetRows();
    void consume(std::size_t to); // adds events [m_consumed, to) in one batch
    // setPosition, knowing that the rows holding events [fresh, m_consumed) were just
    // inserted or reported changed (no paint since): moving over them needs no signal.
    void moveTo(std::size_t position, std::size_t fresh);
    std::size_t anchorOf(const Row &r) const;
    bool endedAt(const Call &c) const { return c.end >= 0 && std::size_t(c.end) < m_position; }
    RowKind kindOf(const Row &r) const;
    Span spanAt(int row, int actor) const;
    QString socketPrefix(int sock) const;
    QString socketSet(trace::StrRef ids) const;
    QString selectText(const Call &c) const;
    QString sourceLine(int line) const;
    std::function<QString(std::size_t)> m_origin;
    CallContext contextOf(const Call &c) const;
    QString toolTip(const Row &r) const;
    bool isEof(const Call &c) const;

    const trace::Trace *m_trace;
    QPointer<TimeCursor> m_cursor;
    std::function<QString()> m_source;
    mutable QString m_sourceText; // the provider's last answer, split into lines
    mutable QStringList m_sourceLines;
    std::size_t m_consumed = 0;        // events [0, m_consumed) are in the rows
    std::size_t m_position = SIZE_MAX; // shown up to here; SIZE_MAX = everything
    // Chunked: a million rows never move while more stream in (ui/chunkedvector.h).
    ChunkedVector<Call> m_calls;
    ChunkedVector<Row> m_rows;
    std::vector<std::vector<std::uint32_t>> m_open;  // per actor: open calls
    std::vector<std::vector<std::uint32_t>> m_spans; // per actor: spanned top-level calls
    std::vector<int> m_pendingSelect;                // per actor: select call awaiting SelectOut
    QHash<std::uint32_t, std::int32_t> m_selectOut;  // a select() call's begin -> its SelectOut
    QStringList m_actors;
    QHash<int, QString> m_sockNames;
    QHash<int, int> m_sockFds;
    QHash<int, int> m_sockTypes;
    QHash<int, trace::StrRef> m_sockLocal, m_sockPeer; // as of the events consumed
    QHash<int, trace::StrRef> m_firstPeer;             // the first peer a socket had
};

} // namespace sl::ui
