// The terminal's side of the questions (`socketlab run`): prints each question before
// the step it is about, gets the learner's answer, and after that step prints the
// verdict with what the kernel decided. Where the answers come from is
// RunOptions::answers: asked on stdin (an interactive terminal), read from a file
// (`--answers FILE`, one answer a line, in the order of the questions; an empty line
// or `-` skips), or none (a pipe, CI): the question is printed with the kernel's answer.
// With RunOptions::quiet (`check`) it prints nothing and asks nothing, but still reads
// every answer, so a lesson whose question cannot be answered fails its check.
//
// Thread affinity: the runner's thread (the Lab's).
#pragma once

#include "engine/questions.h"
#include "engine/runner.h"

#include <QTextStream>

namespace sl::engine {

class QuestionPrompter {
public:
    QuestionPrompter(Lab &lab, const RunOptions &opts, QTextStream &out);
    // After the runner printed `r`: the question it asked, or the verdict it answered.
    void after(const StepReport &r);
    // "questions: 2 of 3 right" (nothing when the lesson asked none or nothing was answered).
    void printSummary();
    // A question whose answer could not be read (`check` fails on it, naming the line):
    // "line 23: NameError: …"; "" when every answer was read.
    QString failure() const { return m_failure; }

private:
    QString tt(const char *english) const;
    QString shown(const QString &v) const; // "yes"/"no" in the report's language
    QString readAnswer();

    QuestionDesk m_desk;
    const RunOptions &m_opts;
    QTextStream &m_out;
    int m_fileIndex = 0;
    int m_answered = 0;
    QString m_failure;
};

} // namespace sl::engine
