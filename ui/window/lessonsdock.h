// LessonsDock: the built-in lessons (LessonModel in a table view) with the selected
// lesson's summary and section below, and how many the learner has finished.
// Double-click (or Enter, or Open) asks the window to open a lesson.
//
// It watches the Lab: when the open lesson runs to its end with every expectation
// passing (Lab::finished and failedExpectations() == 0), the lesson is marked finished.
// A script edited and applied is no longer the lesson, so it marks nothing.
//
// Ownership: owns its model; does not own the Lab. Thread affinity: GUI thread.
#pragma once

#include "lessons/lessoncatalog.h"

#include <QDockWidget>
#include <QPointer>

class QLabel;
class QPushButton;
class QTableView;

namespace sl::engine {
class Lab;
}

namespace sl::ui {

class LessonModel;

class LessonsDock : public QDockWidget {
    Q_OBJECT
public:
    explicit LessonsDock(QWidget *parent = nullptr);

    LessonModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }

    void setLab(engine::Lab *lab);
    void setLanguage(const QString &lang);
    // The lesson the Lab now runs ("" when the script is not a built-in lesson).
    void setCurrentLesson(const QString &id);
    QString currentLesson() const { return m_current; }

signals:
    void openRequested(const sl::lessons::LessonInfo &lesson);

private:
    void onLabFinished();
    void updateDetails();
    QString pathText(const lessons::LessonInfo &l) const; // level, prerequisites, questions
    void openRow(int row);

    LessonModel *m_model;
    QTableView *m_view;
    QLabel *m_details;
    QLabel *m_progress;
    QPushButton *m_open;
    QPointer<engine::Lab> m_lab;
    QString m_current;
};

} // namespace sl::ui
