// SequenceModel: the sequence of calls, one ROW per traced call in the order the calls
// began and one COLUMN per actor (after a Time column), so that who waits for whom
// reads like a sequence diagram: the call and its result sit in the caller's column,
// e.g. `s.send(1000000) → 6144` (partial: highlighted, bold) or
// `recv(4096) → EAGAIN (BlockingIOError)`. Sub-calls of a helper or a block are
// indented under their parent (depth = calls of that actor still open at the
// CallBegin). select() reads `select([srv], [], []) → r=[srv] w=[] x=[]` from its
// SelectIn/SelectOut events. The tooltip is the C equivalent.
//
// It is a view of a point of the trace: with a TimeCursor, a call whose CallEnd lies
// after the cursor shows `…` and rows that begin after the cursor are dimmed (they
// are kept, so that the table does not jump while the learner scrubs). Without a
// cursor everything appended is shown (tests, terminal tools).
//
// Fed in batches (TraceFeed::appended, or the cursor's end growing): each batch
// inserts its columns and rows with one beginInsertColumns/beginInsertRows and
// updates the rows whose calls ended with one dataChanged. Reset only when the trace
// is cleared or replaced. Rows hold event indices; data() reads the events in place.
//
// Thread affinity: GUI thread (asserted at the entry points, ui/affinity.h). Does not own the trace
// nor the cursor; both must outlive the model (the cursor's trace is followed when it changes).
#pragma once

#include "trace/trace.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QPointer>
#include <QStringList>
#include <vector>

namespace sl::ui {

class TimeCursor;

class SequenceModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Columns { TimeColumn, FirstActorColumn }; // actor a is column FirstActorColumn + a
    enum Roles {
        PartialRole = Qt::UserRole, // bool: moved < asked (only once ended at the cursor)
        ErrnoRole,                  // int: errno of the call, 0 if none or in progress
        BeginEventRole,             // qulonglong: index of the CallBegin in the trace
        EndedRole,                  // bool: the call has returned (at the cursor)
        EndEventRole,               // qlonglong: index of the CallEnd, -1 while open
        DepthRole,                  // int: nesting under helper/block calls, 0 = top
        ActorRole,                  // int: actor index (its column is FirstActorColumn + it)
        CursorPositionRole,         // qulonglong: where a click moves the cursor
        FutureRole,                 // bool: the call begins after the cursor
    };

    explicit SequenceModel(const trace::Trace *trace, QObject *parent = nullptr);
    // Follow a cursor: its trace (rebuilt on traceChanged), its end and its position.
    void setTimeCursor(TimeCursor *cursor);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

    int actorCount() const { return int(m_actors.size()); }
    // The row the cursor stands on: the row whose latest event before `position` (its
    // CallEnd if that is before, else its CallBegin) is the most recent; -1 if none.
    int rowAtPosition(std::size_t position) const;
    // `s.send(1000000) → 6144`, as of the current position.
    QString cellText(int row) const;

public slots:
    void appendEvents(std::size_t from, std::size_t to);
    void clear();
    void setPosition(std::size_t position); // rows after it dim, open calls show `…`

private:
    struct Row {
        std::uint32_t begin;
        std::int64_t end = -1;   // CallEnd event index, -1 while in progress
        std::int64_t selIn = -1; // select(): its SelectIn, SelectOut
        std::int64_t selOut = -1;
        std::uint8_t actor = 0;
        std::uint8_t depth = 0;
    };
    void rebuild();
    void resetRows();
    void consume(std::size_t to); // adds events [m_consumed, to) in one batch
    // setPosition, knowing that the rows holding events [fresh, m_consumed) were just
    // inserted or reported changed (no paint since): moving over them needs no signal.
    void moveTo(std::size_t position, std::size_t fresh);
    bool endedAt(const Row &r) const { return r.end >= 0 && std::size_t(r.end) < m_position; }
    QString socketPrefix(int sock) const;
    QString socketSet(trace::StrRef ids) const;
    QString selectText(const Row &r, bool ended) const;
    QString toolTip(const Row &r) const;

    const trace::Trace *m_trace;
    QPointer<TimeCursor> m_cursor;
    std::size_t m_consumed = 0;        // events [0, m_consumed) are in the rows
    std::size_t m_position = SIZE_MAX; // shown up to here; SIZE_MAX = everything
    std::vector<Row> m_rows;
    std::vector<std::pair<std::uint32_t, int>> m_ends; // (CallEnd index, row), by index
    std::vector<std::vector<int>> m_open;              // per actor: rows of open calls
    std::vector<int> m_pendingSelect;                  // per actor: select row awaiting SelectOut
    std::vector<std::int64_t> m_pendingSelIn;          // per actor: last SelectIn
    QStringList m_actors;
    QHash<int, QString> m_sockNames;
    QHash<int, int> m_sockFds;
};

} // namespace sl::ui
