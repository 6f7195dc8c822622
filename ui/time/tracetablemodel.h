// TraceTableModel: every event of the trace as a table row — Time | Kind | Actor |
// Socket | Line | Details — read in place: rowCount() is the number of events the
// cursor knows (its end), and data() formats only the rows a view asks for, so a
// trace of a million events costs no per-row storage. Rows after the cursor's
// position (the future, when looking back) are greyed.
//
// A kind filter (setKindFilter) keeps an index vector of the matching events (4
// bytes per match, built once per batch); with no filter there is none.
// Growth inserts each batch with one beginInsertRows; another trace, a reset or a
// new filter resets the model.
//
// Thread affinity: GUI thread (asserted at the entry points, ui/affinity.h). Does not own the
// cursor or the trace.
#pragma once

#include "trace/trace.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QPointer>
#include <optional>
#include <vector>

namespace sl::ui {

class TimeCursor;

class TraceTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Columns {
        TimeColumn,
        KindColumn,
        ActorColumn,
        SocketColumn,
        LineColumn,
        DetailsColumn,
        NUM_COLUMNS
    };
    enum Roles {
        EventIndexRole = Qt::UserRole, // qulonglong: index of the event in the trace
        KindRole,                      // int: trace::EventKind
    };

    explicit TraceTableModel(TimeCursor *cursor, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

    // Show only events of this kind (nullopt: every event).
    void setKindFilter(std::optional<trace::EventKind> kind);
    std::optional<trace::EventKind> kindFilter() const { return m_filter; }
    std::size_t eventIndex(int row) const;
    // The row showing event `event`, or the last row before it (-1 if none).
    int rowForEvent(std::size_t event) const;

    // The Details text of one event (also used by tests).
    QString details(const trace::Event &e) const;

private:
    void scan(const trace::Trace &t, std::size_t end);
    void grow();
    void rebuild();
    QString sockName(int sock) const;
    QString sampleText(const trace::SampleData &s) const;

    QPointer<TimeCursor> m_cursor;
    std::optional<trace::EventKind> m_filter;
    std::vector<std::uint32_t> m_rows; // filtered: event indices; unfiltered: unused
    std::size_t m_count = 0;           // rows shown
    std::size_t m_scanned = 0;         // events looked at for names / the filter
    std::size_t m_pos = 0;             // the cursor's position (greys what follows)
    std::vector<QString> m_actors;     // by actor index (8 bits: at most 255)
    QHash<int, QString> m_sockets;     // by lab socket id: hashed, never sized by an id's value
};

} // namespace sl::ui
