// LabReport: the terminal report (view/textreport.h) fed with a Lab's step reports. The
// view layer cannot see the engine; this is where a StepReport becomes a ReportStep.
//
// Thread affinity: the lab's thread.
#pragma once

#include "engine/lab.h"
#include "view/textreport.h"

namespace sl::engine {

// What the terminal prints of one step (narration in `lang`, "en" or "ko").
ui::ReportStep reportStep(const StepReport &r, const script::Program &p, const QString &lang);

class LabReport {
public:
    LabReport(Lab &lab, QTextStream &out, const QString &lang, bool color);
    void printHeader(const QString &title, const QString &fileName);
    void print(const StepReport &r, bool background = false);
    ui::TextReport &view() { return m_view; }

private:
    Lab &m_lab;
    QString m_lang;
    ui::TextReport m_view;
};

} // namespace sl::engine
