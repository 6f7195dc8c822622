#include "engine/labreport.h"

namespace sl::engine {

ui::ReportStep reportStep(const StepReport &r, const script::Program &p, const QString &lang) {
    using script::StmtKind;
    ui::ReportStep out;
    out.line = r.line;
    if (r.step >= 0 && std::size_t(r.step) < p.steps.size()) {
        const script::Stmt &s = *p.steps[std::size_t(r.step)];
        out.source = s.source;
        out.isSend = s.expr && s.expr->kind == script::ExprKind::Method && s.expr->call &&
                     s.expr->call->id == script::CallId::Send && s.expr->kids.size() > 1;
    }
    out.actor = r.actor >= 0 ? p.actors.value(r.actor) : QStringLiteral("lab");
    switch (r.kind) {
    case StmtKind::Say:
        out.kind = ui::ReportStep::Kind::Say;
        out.say = lang == QLatin1String("ko") && !r.say[1].isEmpty() ? r.say[1] : r.say[0];
        out.ok = r.outcome.ok;
        out.detail = r.outcome.message;
        return out;
    case StmtKind::Expect:
    case StmtKind::WaitUntil:
        out.kind =
            r.kind == StmtKind::Expect ? ui::ReportStep::Kind::Expect : ui::ReportStep::Kind::Wait;
        out.ok = r.expectPassed;
        out.detail = r.expectDetail;
        return out;
    default:
        break;
    }
    switch (r.status) {
    case StepStatus::Done:
        out.status = ui::ReportStep::Status::Done;
        break;
    case StepStatus::Blocked:
        out.status = ui::ReportStep::Status::Blocked;
        break;
    case StepStatus::Running:
        out.status = ui::ReportStep::Status::Running;
        break;
    case StepStatus::Queued:
        out.status = ui::ReportStep::Status::Queued;
        break;
    }
    out.blockedIn = r.blockedIn;
    out.ok = r.outcome.ok;
    out.scriptError = r.outcome.scriptError;
    out.exception = r.outcome.exception + QStringLiteral(": ") + r.outcome.message;
    out.value = r.outcome.value.isNone() ? QStringLiteral("None") : r.outcome.value.repr(40);
    out.sockets = r.outcome.socketsTouched;
    return out;
}

LabReport::LabReport(Lab &lab, QTextStream &out, const QString &lang, bool color)
    : m_lab(lab)
    , m_lang(lang)
    , m_view(lab.trace(), out, color) {
    m_view.setLanguage(lang); // the report's own lines and the engine's messages (termtext.h)
}

void LabReport::printHeader(const QString &title, const QString &fileName) {
    m_view.printHeader(title, fileName);
}

void LabReport::print(const StepReport &r, bool background) {
    const script::Program *p = m_lab.program();
    if (!p || r.step < 0 || r.kind == script::StmtKind::Ask)
        return; // an ask is printed by the QuestionPrompter (questionprompt.h)
    m_view.print(reportStep(r, *p, m_lang), background);
}

} // namespace sl::engine
