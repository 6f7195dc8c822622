// KernelModel: the kernel view — every socket of the lab that exists at the cursor,
// including the kernel-only ones (no descriptor: connections waiting in an accept
// queue, FIN_WAIT2 and TIME_WAIT after close()), as `ss -tan` lists them:
// Netid | State | Recv-Q | Send-Q | Local | Peer | Owner ("fd 5 conn (server)" or
// "no descriptor"). As in ss, a listener's Recv-Q is its accept queue and its Send-Q
// its backlog.
//
// Built by replaying the trace up to the cursor with StageState (the stage's own
// replayer); a closed descriptor leaves the table (its kernel socket, if it lives on,
// is a kernel-only row). Rows are synchronised with the replayed state by removing
// and inserting ranges, never by a reset, except for another trace.
//
// Thread affinity: GUI thread (asserted at the entry points, ui/affinity.h). Does not own the
// cursor or the trace.
#pragma once

#include "view/stagestate.h"

#include <QAbstractTableModel>
#include <QPointer>
#include <vector>

namespace sl::ui {

class TimeCursor;

// Brings `state` to `pos` events of `trace`: advances when pos is ahead, replays
// from 0 when the cursor moved back. For views that follow a TimeCursor.
void followCursor(StageState &state, const trace::Trace &trace, std::size_t pos);

// "n/a" for -1 (the kernel did not report it), the number otherwise.
QString kernelNumber(std::int64_t v);
// "R W E HUP RDHUP" from sys::Readiness bits ("–" when none).
QString readinessText(std::uint8_t bits);
// "tcp", "udp", "unix", "pipe".
QString netidText(const SocketSnap &s);

class KernelModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Columns {
        NetidColumn,
        StateColumn,
        RecvQColumn,
        SendQColumn,
        LocalColumn,
        PeerColumn,
        OwnerColumn,
        NUM_COLUMNS
    };
    enum Roles {
        SocketIdRole = Qt::UserRole, // int: lab socket id
        KernelOnlyRole,              // bool
    };

    explicit KernelModel(TimeCursor *cursor, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

    const StageState &state() const { return m_state; }
    int socketId(int row) const { return m_rows[std::size_t(row)]; }

private:
    void update();
    void rebuild();
    std::vector<int> wantedRows() const;

    QPointer<TimeCursor> m_cursor;
    StageState m_state;
    std::vector<int> m_rows; // lab socket ids, in order of appearance
};

} // namespace sl::ui
