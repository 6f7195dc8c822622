// Inspector: every probed number of one socket at the cursor — state, fd, addresses,
// SO_SNDBUF/SO_RCVBUF, send queue and its unsent part, receive queue, accept queue
// and backlog, how full each queue is as the kernel means it (view/queuefill.h: "window 0",
// datagrams waiting and drops), readiness bits, blocking mode, kernel-only or not — "n/a" where the
// kernel reported -1, and a QueueChart of its queues over time.
//
// The socket is chosen in the inspector's own list, or from outside with
// setSocket() (the stage's socketSelected(int)). The numbers come from a StageState
// replayed up to the cursor, so they are right for a trace replayed from a file too.
//
// The fields are selectable labels, and every change of their texts re-lays the
// window out (milliseconds), so while the cursor streams they are refreshed at most
// every MinRefreshMs: at once after a quiet spell, a moment later otherwise. A
// socket picked by hand (setSocket) shows at once; followSocket() (the socket of the
// call at the cursor) moves with the cursor. fieldText() is always current.
//
// Thread affinity: GUI thread (asserted at the entry points, ui/affinity.h). Does not own the
// cursor or the trace.
#pragma once

#include "view/stagestate.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;

namespace sl::ui {

class TimeCursor;
class QueueChart;

class Inspector : public QWidget {
    Q_OBJECT
public:
    enum Field {
        NameField,
        OwnerField,
        StateField,
        FdField,
        LocalField,
        PeerField,
        SndbufField,
        RcvbufField,
        SendQField,
        UnsentField,
        RecvQField,
        RecvFillField, // the receive queue as the kernel means it: full, window 0, datagrams, drops
        SendFillField, // the send queue against what it can hold; the peer's window 0
        AcceptQField,
        BacklogField,
        ReadinessField,
        BlockingField,
        KernelOnlyField,
        SampledField,
        NUM_FIELDS
    };

    static constexpr int MinRefreshMs = 100;

    explicit Inspector(TimeCursor *cursor, QWidget *parent = nullptr);

    int socket() const { return m_sock; }
    QString fieldText(Field f) const;
    QueueChart *chart() const { return m_chart; }
    QComboBox *socketList() const { return m_list; }
    // The sentence under the fields when a queue is at window 0 (why half of SO_RCVBUF
    // holds data); empty otherwise.
    QString noteText() const;

public slots:
    void setSocket(int sockId);    // a socket chosen: shown at once
    void followSocket(int sockId); // the cursor's socket: shown with the cursor's pace

private:
    void onPosition();
    void rebuild();
    void refreshList();
    void refreshFields();
    void scheduleFields(); // refreshFields now, or MinRefreshMs after the last
    void choose(int sockId);

    QPointer<TimeCursor> m_cursor;
    StageState m_state;
    int m_sock = -1;
    QComboBox *m_list;
    QLabel *m_fields[NUM_FIELDS];
    QueueChart *m_chart;
    QLabel *m_note;
    QStringList m_listTexts; // what the list shows, to rebuild it only when it changes
    QTimer m_fieldsTimer;    // single shot: a refresh held back
    QElapsedTimer m_sinceFields;
};

} // namespace sl::ui
