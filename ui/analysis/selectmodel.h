// SelectModel: the select() panel's data. One top-level row per select() call of the
// trace that began before the cursor; under it one row per socket passed in (per
// set), saying whether select() returned it and why — the reason read from that
// socket's last Sample before the call returned: "a connection to accept",
// "data waiting (N bytes)", "peer closed (recv will return b'')", "buffer space
// (N of M free)", "error pending"; or, for a socket that was not returned, why not
// ("send buffer full", "nothing to read").
//
// It reads the trace through the TimeCursor: calls are indexed once up to the
// cursor's end (only select() calls are stored, with copies of the samples their
// reasons need), and the rows shown are the calls whose SelectIn lies before the
// cursor; a call that had not returned at the cursor shows "…". Moving the cursor
// inserts or removes rows in one range; another trace (or a reset) resets the model.
//
// Thread affinity: GUI thread (asserted at the entry points, ui/affinity.h). Does not own the
// cursor or the trace.
#pragma once

#include "script/catalog.h"
#include "trace/trace.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QPointer>
#include <vector>

namespace sl::ui {

class TimeCursor;

// One socket of a select() call: the set it was passed in and what came back.
struct SelectEntry {
    int sock = -1;
    int set = 0;        // 0 read, 1 write, 2 exception
    bool ready = false; // returned by select()
    bool hasSample = false;
    trace::SampleData sample{}; // its last sample before SelectOut
};

struct SelectCall {
    // select(), or what waits as it does (issue 9): poll(), epoll.poll(), selector.select()
    script::CallId call = script::CallId::Select;
    std::size_t inEvent = 0;    // SelectIn
    std::int64_t outEvent = -1; // SelectOut (or the failing CallEnd), -1 while in the call
    std::uint8_t actor = trace::NoActor;
    std::uint16_t line = 0;
    std::int64_t tIn = 0;
    std::int64_t timeoutNs = -1;
    std::int64_t durNs = -1; // from the CallEnd
    int err = 0;
    std::vector<int> in[3], out[3];
    std::vector<SelectEntry> entries; // read set, then write set, then exception set
};

// Why select() did (ready) or did not return a socket in a set, judged from a sample.
QString selectReason(int set, bool ready, const trace::SampleData &s);
// A call that waits as select() does and leaves a SelectIn/SelectOut pair (issue 9).
bool isSelectLike(script::CallId id);
// Its name in the panel: "select()", "poll()", "epoll.poll()", "selector.select()".
QString selectCallName(script::CallId id);

class SelectModel : public QAbstractItemModel {
    Q_OBJECT
public:
    // Call rows: Call | Passed in | Returned | Timeout | Took.
    // Socket rows: socket name | set | ready / not ready | | | reason (Why).
    enum Columns {
        CallColumn,
        InColumn,
        OutColumn,
        TimeoutColumn,
        TookColumn,
        WhyColumn, // last: it stretches
        NUM_COLUMNS
    };
    enum Roles {
        ReadyRole = Qt::UserRole, // socket rows: bool, returned by select()
        SocketRole,               // socket rows: lab socket id
        EndEventRole,             // call rows: qlonglong, SelectOut index (-1 in the call)
    };

    explicit SelectModel(TimeCursor *cursor, QObject *parent = nullptr);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

    const SelectCall &call(int row) const { return m_calls[std::size_t(row)]; }
    QString socketName(int sock) const;

private:
    void onPosition(std::size_t pos);
    void rebuild();
    void scanTo(std::size_t end);
    bool completeAt(const SelectCall &c, std::size_t pos) const {
        return c.outEvent >= 0 && std::size_t(c.outEvent) < pos;
    }
    QString setText(const std::vector<int> &ids) const;
    QString setsText(const std::vector<int> (&sets)[3]) const;
    QVariant callData(const SelectCall &c, int column, int role) const;
    QVariant entryData(const SelectCall &c, const SelectEntry &e, int column, int role) const;

    QPointer<TimeCursor> m_cursor;
    std::vector<SelectCall> m_calls; // every select() indexed so far
    std::vector<char> m_shownDone;   // per shown call: completeAt(m_pos) when last shown
    int m_shown = 0;                 // calls shown (SelectIn before m_pos)
    std::size_t m_pos = 0;
    std::size_t m_scanned = 0;
    // Keyed by lab socket id: hashed, never sized by an id's value (a trace may say any
    // id, e.g. 2147483647).
    QHash<int, QString> m_names;
    QHash<int, trace::SampleData> m_last; // the socket's last sample
    std::vector<QString> m_actors;        // by actor index (an 8-bit value: at most 255)
    std::vector<int> m_pending;           // by actor: index into m_calls of its open select, -1
};

} // namespace sl::ui
