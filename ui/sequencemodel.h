// SequenceModel: one row per traced call, in the order the calls began:
// Time | Actor | Call | Result, e.g. `client  s.send(1000000)  → 6144` (partial,
// highlighted) or `recv(4096)  → EAGAIN (BlockingIOError)`. A call still in progress
// (blocked) shows `…` until its CallEnd arrives. The tooltip is the C equivalent.
//
// Fed in batches by TraceFeed: each batch inserts its rows with one beginInsertRows
// and updates the rows whose calls ended with one dataChanged. Reset only when the
// lab resets. Rows hold event indices; data() reads the events in place.
//
// Thread affinity: GUI thread. Does not own the trace (the Lab does); the trace must
// outlive the model.
#pragma once

#include "trace/trace.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QStringList>
#include <vector>

namespace sl::ui {

class SequenceModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Columns { TimeColumn, ActorColumn, CallColumn, ResultColumn, NUM_COLUMNS };
    enum Roles {
        PartialRole = Qt::UserRole, // bool: moved < asked
        ErrnoRole,                  // int: errno of the call, 0 if none or in progress
        BeginEventRole,             // qulonglong: index of the CallBegin in the trace
        EndedRole,                  // bool: the call has returned
    };

    explicit SequenceModel(const trace::Trace *trace, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

public slots:
    void appendEvents(std::size_t from, std::size_t to);
    void clear();

private:
    struct Row {
        std::uint32_t begin;
        std::int64_t end = -1; // CallEnd event index, -1 while in progress
    };
    QString socketPrefix(int sock) const;

    const trace::Trace *m_trace;
    std::vector<Row> m_rows;
    std::vector<std::vector<int>> m_open; // per actor: rows of open calls
    QStringList m_actors;
    QHash<int, QString> m_sockNames;
    QHash<int, int> m_sockFds;
};

} // namespace sl::ui
