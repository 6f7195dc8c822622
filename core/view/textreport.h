// The terminal's view of a lab: each step with its result, errno by name, the
// narration, and text bars for the queues of the sockets the step used.
//
//   12 client  n = s.send(b"x" * 1_000_000)
//              -> 6144  partial: 6,144 of 1,000,000 bytes
//              s  fd 7  ESTABLISHED  send [######....] 6,144/8,192  recv [..........] 0/2,304  W
//
// Thread affinity: the lab's thread (reads the Lab and its socket table).
#pragma once

#include "engine/lab.h"

#include <QTextStream>

namespace sl::engine {

class TextReport {
public:
    TextReport(Lab &lab, QTextStream &out, const QString &lang, bool color);
    void printHeader(const QString &title, const QString &fileName);
    void print(const StepReport &r, bool background = false);
    // "[####......] 4,096/8,192" ("n/a" when the kernel gave none): filled against
    // `capacity`, which the text shows unless `shownCapacity` is given (a listener:
    // filled against backlog + 1, shows the backlog listen() was given).
    static QString bar(std::int64_t value, std::int64_t capacity, int width = 10,
                       std::int64_t shownCapacity = -1);
    QString socketLine(int sockId);

private:
    QString paint(const QString &text, const char *code) const;
    Lab &m_lab;
    QTextStream &m_out;
    QString m_lang;
    bool m_color;
};

} // namespace sl::engine
