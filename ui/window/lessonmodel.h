// LessonModel: the built-in lessons as a table — number, title and seed section (the
// part of the study note it covers) in the chosen language, and whether the learner
// has finished it. The summary is the tooltip and SummaryRole.
//
// A lesson counts as finished when it ran to its end with every expectation passing;
// the finished ids are kept in QSettings ("lessons/finished") so they survive restarts.
//
// Thread affinity: GUI thread.
#pragma once

#include "lessons/lessoncatalog.h"

#include <QAbstractTableModel>
#include <QSet>

namespace sl::ui {

class LessonModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Columns { NumberColumn, TitleColumn, SeedColumn, DoneColumn, NUM_COLUMNS };
    enum Roles { IdRole = Qt::UserRole, SummaryRole, FinishedRole, NumberRole };

    explicit LessonModel(QObject *parent = nullptr);
    // For tests and other catalogues; the default is lessons::builtinLessons().
    void setLessons(const QList<lessons::LessonInfo> &lessons);
    const lessons::LessonInfo *lessonAt(int row) const;
    int rowOf(const QString &id) const;

    QString language() const { return m_lang; }
    void setLanguage(const QString &lang);

    bool isFinished(const QString &id) const { return m_finished.contains(id); }
    void setFinished(const QString &id, bool finished = true); // stored in QSettings
    int finishedCount() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;

private:
    QList<lessons::LessonInfo> m_lessons;
    QSet<QString> m_finished;
    QString m_lang = QStringLiteral("en");
};

} // namespace sl::ui
